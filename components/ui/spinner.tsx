import styles from "./spinner.module.css";

interface SpinnerProps {
  /** Announced to screen readers; required unless the spinner only decorates a labelled control. */
  label?: string;
  size?: "normal" | "small";
  decorative?: boolean;
}

export function Spinner({ label, size = "normal", decorative = false }: SpinnerProps) {
  const className = `${styles.spinner} ${size === "small" ? styles.small : ""}`;
  if (decorative || !label) return <span className={className} aria-hidden="true" />;
  return <span className={className} role="status" aria-label={label} />;
}
