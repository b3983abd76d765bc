"use client";

import { useTranslation } from "react-i18next";
import { Spinner } from "@/components/ui/spinner";
import { PageMain } from "./page-main";

export function PageLoading() {
  const { t } = useTranslation("common");
  return (
    <PageMain>
      <div style={{ display: "flex", alignItems: "center", gap: "0.75rem", color: "var(--muted)" }}>
        <Spinner label={t("loading")} />
        <span aria-hidden="true">{t("loading")}</span>
      </div>
    </PageMain>
  );
}
