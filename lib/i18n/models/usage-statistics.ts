import type { Prisma } from "@/lib/db/generated/client";
import { field, type ModelMetadata } from "./types";

/** German labels as in the seed (datamodelBilling.py, UsageStatistics); the rest added here. */
export const USAGE_STATISTICS: ModelMetadata<Prisma.UsageStatisticsScalarFieldEnum> = {
  label: { de: "Nutzungsstatistik", en: "Usage statistics" },
  fields: {
    id: field("ID", "ID", "Primärschlüssel", "Primary key"),
    accountId: field(
      "Konto-ID",
      "Account ID",
      "Abrechnungskonto der Statistik",
      "Billing account the figures belong to",
    ),
    periodType: field("Periodentyp", "Period type", "Tag, Monat oder Jahr", "Day, month or year"),
    periodStart: field(
      "Periodenbeginn",
      "Period start",
      "Erster Tag der Periode (Zeitzone Europe/Zurich)",
      "First day of the period (Europe/Zurich time zone)",
    ),
    totalCostCHF: field("Gesamtkosten (CHF)", "Total cost (CHF)", "Summe der Kosten in CHF", "Total cost in CHF"),
    transactionCount: field(
      "Anzahl Transaktionen",
      "Number of transactions",
      "Anzahl der gezählten Belastungen",
      "Number of debits counted",
    ),
    costByProvider: field(
      "Kosten nach Anbieter",
      "Cost by provider",
      "Kosten aufgeteilt nach AI-Anbieter",
      "Cost broken down by AI provider (e.g. anthropic, openai)",
    ),
    costByFeature: field(
      "Kosten nach Feature",
      "Cost by feature",
      "Kosten aufgeteilt nach Feature",
      "Cost broken down by feature (e.g. automation, workspace)",
    ),
    costByModel: field(
      "Kosten nach Modell",
      "Cost by model",
      "Kosten aufgeteilt nach AI-Modell",
      "Cost broken down by AI model (e.g. gpt-4o)",
    ),
    updatedAt: field("Aktualisiert am", "Updated at", "Letzte Aktualisierung", "When the figures last changed"),
  },
};
