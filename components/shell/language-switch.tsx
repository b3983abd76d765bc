"use client";

import { useTransition } from "react";
import { useTranslation } from "react-i18next";
import { LOCALES, type Locale } from "@/lib/i18n/config";
import segmented from "@/components/ui/segmented.module.css";
import styles from "./shell.module.css";

interface LanguageSwitchProps {
  locale: Locale;
  /** The server action that stores the choice (app/actions.ts). */
  action: (form: FormData) => Promise<void>;
}

/** Two buttons rather than a select: one click, and the current language reads as pressed. */
export function LanguageSwitch({ locale, action }: LanguageSwitchProps) {
  const { t } = useTranslation("common");
  const [pending, startTransition] = useTransition();
  return (
    <form
      className={`${segmented.segmented} ${segmented.compact} ${styles.languages}`}
      role="group"
      aria-label={t("language.label")}
      action={(form) => startTransition(() => action(form))}
      aria-busy={pending || undefined}
    >
      {LOCALES.map((value) => (
        <button
          key={value}
          type="submit"
          name="locale"
          value={value}
          lang={value}
          aria-pressed={value === locale}
          title={t(`language.${value}`)}
          disabled={pending}
        >
          {value.toUpperCase()}
          <span className="visually-hidden"> {t(`language.${value}`)}</span>
        </button>
      ))}
    </form>
  );
}
