import type { ButtonHTMLAttributes } from "react";
import styles from "./button.module.css";
import { Spinner } from "./spinner";

type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: "normal" | "small";
  /** Shows a spinner and disables the button while an action runs. */
  loading?: boolean;
}

export function Button({
  variant = "primary",
  size = "normal",
  loading = false,
  type = "button",
  className,
  disabled,
  children,
  ...rest
}: ButtonProps) {
  const classes = [styles.button, styles[variant], size === "small" ? styles.small : "", className ?? ""];
  return (
    <button
      type={type}
      className={classes.filter(Boolean).join(" ")}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      {...rest}
    >
      {loading ? <Spinner size="small" decorative /> : null}
      {children}
    </button>
  );
}

/** Link styles shared with buttons, for navigation that looks like an action. */
export function buttonClassName(variant: ButtonVariant = "primary", size: "normal" | "small" = "normal"): string {
  return [styles.button, styles[variant], size === "small" ? styles.small : ""].filter(Boolean).join(" ");
}
