"use client";

import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { PageMain } from "@/components/shell/page-main";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

/** The payments could not be read (database away, a fault): say so, keep the navigation, offer a retry. */
export default function PaymentsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useTranslation("billing");
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <PageMain>
      <h1>{t("payments.title")}</h1>
      <Card role="alert" data-testid="payments-error">
        <p>{t("payments.error")}</p>
        {error.digest ? <p style={{ color: "var(--muted)", fontSize: "0.875rem" }}>Ref: {error.digest}</p> : null}
        <Button onClick={reset}>{t("payments.retry")}</Button>
      </Card>
    </PageMain>
  );
}
