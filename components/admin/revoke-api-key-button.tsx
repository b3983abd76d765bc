"use client";

import { useState, useTransition } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { FormAnswer } from "@/lib/forms/form-state";
import fieldStyles from "@/components/ui/field.module.css";

export interface RevokeApiKeyButtonProps {
  id: string;
  name: string;
  action: (id: string) => Promise<FormAnswer<never, { revoked: true }>>;
}

/** Revoking cannot be undone, so it asks first. */
export function RevokeApiKeyButton({ id, name, action }: RevokeApiKeyButtonProps) {
  const { t } = useTranslation("billing");
  const { t: tc } = useTranslation("common");
  const { t: te } = useTranslation("errors");
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function confirm() {
    startTransition(async () => {
      const result = await action(id);
      if (result.ok) {
        setOpen(false);
        setError(null);
        return;
      }
      const fieldCode = result.fields?.id?.code;
      setError(fieldCode ? t(`admin.validation.${fieldCode}`) : te(result.code));
      setOpen(false);
    });
  }

  return (
    <>
      <Button
        variant="danger"
        size="small"
        aria-label={t("admin.apiKeys.revokeLabel", { name })}
        onClick={() => setOpen(true)}
      >
        {t("admin.apiKeys.revoke")}
      </Button>
      {error ? (
        <p role="alert" className={fieldStyles.error}>
          {error}
        </p>
      ) : null}
      <ConfirmDialog
        open={open}
        danger
        pending={pending}
        title={t("admin.apiKeys.revokeTitle")}
        message={t("admin.apiKeys.revokeMessage", { name })}
        confirmLabel={t("admin.apiKeys.revoke")}
        cancelLabel={tc("dialog.cancel")}
        closeLabel={tc("dialog.close")}
        onConfirm={confirm}
        onCancel={() => setOpen(false)}
      />
    </>
  );
}
