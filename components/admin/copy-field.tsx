"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import styles from "./admin.module.css";

export interface CopyFieldProps {
  label: string;
  value: string;
  copyLabel: string;
  copiedLabel: string;
}

/** A read-only value with a copy button; the text stays selectable where the clipboard API is refused. */
export function CopyField({ label, value, copyLabel, copiedLabel }: CopyFieldProps) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // No clipboard permission (e.g. plain http on another host): the field stays selectable.
      setCopied(false);
    }
  }

  return (
    <FormField label={label}>
      {(field) => (
        <div className={styles.copyRow}>
          <Input
            {...field}
            readOnly
            value={value}
            spellCheck={false}
            data-testid="api-key-value"
            onFocus={(event) => event.currentTarget.select()}
          />
          <Button variant="secondary" onClick={() => void copy()} aria-live="polite">
            {copied ? copiedLabel : copyLabel}
          </Button>
        </div>
      )}
    </FormField>
  );
}
