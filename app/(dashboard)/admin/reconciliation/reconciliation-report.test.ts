import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ReconciliationReportView } from "@/components/admin/reconciliation-report";
import { LOCALES } from "@/lib/i18n/config";
import { DRIFT_KINDS, DRIFT_ROW_SOURCES, type ReconciliationReport } from "@/lib/reconciliation/drift";

/** A report holding every kind of drift and every kind of row, under one mandate, and one OK mandate. */
const REPORT: ReconciliationReport = {
  startedAt: new Date("2026-12-05T12:00:00Z"),
  stripe: { checked: true, server: "http://127.0.0.1:12111" },
  mandates: [
    { mandateId: "ok-mandate", name: "Demo AG", drifts: [], checked: { accounts: 4, payments: 2 } },
    {
      mandateId: "drift-mandate",
      name: "Muster GmbH",
      checked: { accounts: 2, payments: 1 },
      drifts: DRIFT_KINDS.map((kind, i) => ({
        kind,
        message: `message ${kind}`,
        rows: [{ source: DRIFT_ROW_SOURCES[i % DRIFT_ROW_SOURCES.length]!, id: `row-${i}`, amount: "-12.500000" }],
      })),
    },
  ],
  unassigned: [],
  driftCount: DRIFT_KINDS.length,
};

describe("the reconciliation report page", () => {
  it.each(LOCALES)("%s: names every kind of drift and of row, and shows OK, counts and amounts", (locale) => {
    const html = renderToStaticMarkup(createElement(ReconciliationReportView, { report: REPORT, locale }));
    // An untranslated key would show as the key itself.
    expect(html).not.toContain("admin.reconciliation.");
    for (const kind of DRIFT_KINDS) expect(html).toContain(`data-kind="${kind}"`);
    expect(html).toContain('href="/admin/mandates/drift-mandate"');
    expect(html).toContain('href="#drifts-drift-mandate"');
    expect(html).toContain(`message BALANCE_MISMATCH`);
    expect(html).toContain('data-amount="-12.500000"');
    expect(html).toContain(locale === "de" ? "16 Abweichung(en)" : "16 drift(s)");
    expect(html).toContain("http://127.0.0.1:12111");
  });
});
