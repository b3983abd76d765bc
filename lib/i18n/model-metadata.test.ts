import { describe, expect, it } from "vitest";
import { $Enums, Prisma } from "@/lib/db/generated/client";
import { LOCALES } from "./config";
import { enumLabel, fieldHelp, fieldLabel, MODEL_METADATA, type ModelName } from "./model-metadata";
import { ENUM_LABELS } from "./models/enums";

/**
 * The German labels of the specification (datamodelBilling.py, json_schema_extra "label" and
 * @i18nModel), copied here so the test runs without the spec file. Fields the schema added
 * beyond the spec have their own labels and are not listed.
 */
const SEED = {
  BillingAccount: {
    model: "Abrechnungskonto",
    fields: {
      id: "ID",
      mandateId: "Mandanten-ID",
      userId: "Benutzer-ID",
      balance: "Guthaben (CHF)",
      warningThreshold: "Warnschwelle (CHF)",
      lastWarningAt: "Letzte Warnung",
      enabled: "Aktiv",
    },
  },
  BillingTransaction: {
    model: "Transaktion",
    fields: {
      id: "ID",
      accountId: "Konto-ID",
      transactionType: "Typ",
      amount: "Betrag (CHF)",
      description: "Beschreibung",
      referenceType: "Referenztyp",
      referenceId: "Referenz-ID",
      workflowId: "Workflow-ID",
      featureInstanceId: "Feature-Instanz-ID",
      featureCode: "Feature-Code",
      aicoreProvider: "AI-Anbieter",
      aicoreModel: "AI-Modell",
      createdByUserId: "Erstellt von Benutzer",
      processingTime: "Verarbeitungszeit (s)",
      bytesSent: "Gesendete Bytes",
      bytesReceived: "Empfangene Bytes",
      errorCount: "Fehleranzahl",
    },
  },
  BillingSettings: {
    model: "Abrechnungseinstellungen",
    fields: {
      id: "ID",
      mandateId: "Mandanten-ID",
      warningThresholdPercent: "Warnschwelle (%)",
      stripeCustomerId: "Stripe-Kunden-ID",
      autoRechargeEnabled: "Auto-Nachladung",
      rechargeAmountCHF: "Nachladebetrag (CHF)",
      rechargeMaxPerMonth: "Max. Nachladungen/Monat",
      rechargesThisMonth: "Nachladungen diesen Monat",
      monthResetAt: "Monats-Reset",
      notifyEmails: "E-Mails für Billing-Alerts (Inhaber/Admin)",
      notifyOnWarning: "Bei Warnung benachrichtigen",
      storageHighWatermarkMB: "Speicher-Peak (MB)",
      storagePeriodStartAt: "Speicher-Periodenbeginn",
      storageBilledUpToMB: "Speicher abgerechneter Überhang (MB)",
    },
  },
  UsageStatistics: {
    model: "Nutzungsstatistik",
    fields: {
      id: "ID",
      accountId: "Konto-ID",
      periodType: "Periodentyp",
      periodStart: "Periodenbeginn",
      totalCostCHF: "Gesamtkosten (CHF)",
      transactionCount: "Anzahl Transaktionen",
      costByProvider: "Kosten nach Anbieter",
      costByFeature: "Kosten nach Feature",
    },
  },
  // Not in the specification (issue 14 added top-ups): its own German label, no field to compare.
  Payment: { model: "Zahlung", fields: {} },
} satisfies Record<ModelName, { model: string; fields: Record<string, string> }>;

/** The scalar fields of each model, as the generated Prisma client knows them. */
const PRISMA_FIELDS: Record<ModelName, string[]> = {
  BillingAccount: Object.values(Prisma.BillingAccountScalarFieldEnum),
  BillingTransaction: Object.values(Prisma.BillingTransactionScalarFieldEnum),
  BillingSettings: Object.values(Prisma.BillingSettingsScalarFieldEnum),
  UsageStatistics: Object.values(Prisma.UsageStatisticsScalarFieldEnum),
  Payment: Object.values(Prisma.PaymentScalarFieldEnum),
};

const MODELS = Object.keys(SEED) as ModelName[];

describe("model metadata registry", () => {
  it.each(MODELS)("%s: every Prisma field, and only those, has a label and help text in both languages", (model) => {
    const fields = MODEL_METADATA[model].fields as Record<string, unknown>;
    expect(Object.keys(fields).sort()).toEqual([...PRISMA_FIELDS[model]].sort());
    for (const name of PRISMA_FIELDS[model]) {
      for (const locale of LOCALES) {
        const label = fieldLabel(model, name as never, locale);
        const help = fieldHelp(model, name as never, locale);
        expect(label.trim(), `${model}.${name} label ${locale}`).not.toBe("");
        expect(help.trim(), `${model}.${name} help ${locale}`).not.toBe("");
      }
    }
  });

  it.each(MODELS)("%s: German model and field labels are the specification's", (model) => {
    expect(MODEL_METADATA[model].label.de).toBe(SEED[model].model);
    for (const [name, label] of Object.entries(SEED[model].fields)) {
      expect(fieldLabel(model, name as never, "de"), `${model}.${name}`).toBe(label);
    }
  });

  it("answers the typed accessor as the tables and the CSV header will call it", () => {
    expect(fieldLabel("BillingTransaction", "amount", "de")).toBe("Betrag (CHF)");
    expect(fieldLabel("BillingTransaction", "amount", "en")).toBe("Amount (CHF)");
    expect(MODEL_METADATA.UsageStatistics.label.en).toBe("Usage statistics");
    expect(enumLabel("TransactionType", "DEBIT", "de")).toBe("Belastung");
    expect(enumLabel("MandateRole", "OWNER", "en")).toBe("Owner");
  });

  it("labels every value of TransactionType, ReferenceType, PeriodType, MandateRole and PaymentStatus in both languages", () => {
    const enums = {
      TransactionType: $Enums.TransactionType,
      ReferenceType: $Enums.ReferenceType,
      PeriodType: $Enums.PeriodType,
      MandateRole: $Enums.MandateRole,
      PaymentStatus: $Enums.PaymentStatus,
    };
    for (const [name, values] of Object.entries(enums) as [keyof typeof ENUM_LABELS, Record<string, string>][]) {
      expect(Object.keys(ENUM_LABELS[name]).sort(), name).toEqual(Object.values(values).sort());
      for (const value of Object.values(values)) {
        for (const locale of LOCALES) {
          expect(enumLabel(name, value as never, locale).trim(), `${name}.${value}`).not.toBe("");
        }
      }
    }
    // German and English must differ where the words differ, i.e. not just copied over.
    expect(enumLabel("PeriodType", "MONTH", "de")).not.toBe(enumLabel("PeriodType", "MONTH", "en"));
  });
});
