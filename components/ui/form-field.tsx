import { useId, type ReactNode } from "react";
import styles from "./field.module.css";

/** What a control needs to be tied to its label, hint and error for assistive technology. */
interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  invalid: boolean;
}

interface FormFieldProps {
  label: ReactNode;
  /** Translated message shown under the control; marks the control invalid. */
  error?: string | null;
  hint?: ReactNode;
  children: (control: FieldControlProps) => ReactNode;
}

/** Label + control + inline error: `<FormField label="E-mail">{(p) => <Input {...p} />}</FormField>`. */
export function FormField({ label, error, hint, children }: FormFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      {children({ id, "aria-describedby": describedBy, invalid: Boolean(error) })}
      {hint ? (
        <p id={hintId} className={styles.hint}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className={styles.error}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
