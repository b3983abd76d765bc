"use client";

import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Select } from "@/components/ui/select";
import styles from "./shell.module.css";

export interface PickerMandate {
  mandateId: string;
  name: string;
}

/**
 * Shows the mandate of the current URL and switches between the person's mandates (all of
 * them for a platform admin). With a single mandate there is nothing to pick: just its name.
 */
export function MandatePicker({ mandates }: { mandates: PickerMandate[] }) {
  const { t } = useTranslation("common");
  const router = useRouter();
  const params = useParams<{ mandateId?: string }>();
  const id = useId();
  const current = mandates.find((m) => m.mandateId === params.mandateId);

  if (mandates.length <= 1) {
    return current ? (
      <span className={styles.picker}>
        <span className="visually-hidden">{t("header.mandate")}: </span>
        <Link href={`/mandates/${current.mandateId}`} className={styles.currentMandate} data-testid="current-mandate">
          {current.name}
        </Link>
      </span>
    ) : null;
  }
  return (
    <span className={styles.picker}>
      <label htmlFor={id} className="visually-hidden">
        {t("header.mandate")}
      </label>
      <Select
        id={id}
        data-testid="mandate-picker"
        value={current?.mandateId ?? ""}
        onChange={(event) => {
          if (event.target.value) router.push(`/mandates/${event.target.value}`);
        }}
      >
        {current ? null : <option value="">{t("header.chooseMandate")}</option>}
        {mandates.map((m) => (
          <option key={m.mandateId} value={m.mandateId}>
            {m.name}
          </option>
        ))}
      </Select>
    </span>
  );
}
