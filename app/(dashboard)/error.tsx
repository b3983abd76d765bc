"use client";

import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { PageMain } from "@/components/shell/page-main";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

/** Error boundary of the dashboard: the header stays usable; the message reveals nothing internal. */
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useTranslation("common");
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <PageMain>
      <Card role="alert">
        <h1>{t("error.title")}</h1>
        <p>{t("error.message")}</p>
        {error.digest ? <p style={{ color: "var(--muted)", fontSize: "0.875rem" }}>Ref: {error.digest}</p> : null}
        <Button onClick={reset}>{t("error.retry")}</Button>
      </Card>
    </PageMain>
  );
}
