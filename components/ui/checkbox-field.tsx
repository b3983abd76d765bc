import { useId, type ComponentProps, type ReactNode } from "react";
import styles from "./checkbox-field.module.css";

interface CheckboxFieldProps extends Omit<ComponentProps<"input">, "type" | "id"> {
  label: ReactNode;
  hint: ReactNode;
  /** Translated message shown instead of the hint; marks the checkbox invalid. */
  error?: string | null;
}

/** A labelled checkbox with its hint, tied together for assistive technology. */
export function CheckboxField({ label, hint, error, ...input }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className={styles.checkbox}>
      <input
        type="checkbox"
        id={id}
        aria-describedby={`${id}-hint`}
        aria-invalid={error ? true : undefined}
        {...input}
      />
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hint`} className={error ? styles.error : styles.hint}>
        {error ?? hint}
      </p>
    </div>
  );
}
