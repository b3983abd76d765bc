"use client";

import { useTranslation } from "react-i18next";
import type { ErrorCode } from "@/lib/errors";
import styles from "./admin.module.css";

/** The form-level error of an admin form, translated from its code. */
export function FormAlert({ code }: { code: ErrorCode | null }) {
  const { t } = useTranslation("errors");
  if (!code) return null;
  return (
    <p role="alert" className={styles.alert} data-testid="form-error" data-code={code}>
      {t(code)}
    </p>
  );
}
