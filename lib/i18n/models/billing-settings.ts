import type { Prisma } from "@/lib/db/generated/client";
import { field, type ModelMetadata } from "./types";

/** German labels as in the seed (datamodelBilling.py, BillingSettings); the rest added here. */
export const BILLING_SETTINGS: ModelMetadata<Prisma.BillingSettingsScalarFieldEnum> = {
  label: { de: "Abrechnungseinstellungen", en: "Billing settings" },
  fields: {
    id: field("ID", "ID", "Primärschlüssel", "Primary key"),
    mandateId: field("Mandanten-ID", "Mandate ID", "Mandant dieser Einstellungen", "Mandate these settings belong to"),
    warningThresholdPercent: field(
      "Warnschwelle (%)",
      "Warning threshold (%)",
      "Benachrichtigung, wenn das AI-Guthaben unter diesen Prozentsatz des Gesamtbudgets fällt",
      "Notify when the AI balance falls below this percentage of the total budget",
    ),
    stripeCustomerId: field(
      "Stripe-Kunden-ID",
      "Stripe customer ID",
      "Stripe-Kunde (cus_…), einer pro Mandant",
      "Stripe customer (cus_…), one per mandate",
    ),
    autoRechargeEnabled: field(
      "Auto-Nachladung",
      "Auto-recharge",
      "AI-Guthaben automatisch nachkaufen, wenn es knapp wird",
      "Buy AI credit automatically when the balance runs low",
    ),
    rechargeAmountCHF: field(
      "Nachladebetrag (CHF)",
      "Recharge amount (CHF)",
      "Betrag pro automatischer Nachladung (CHF, vorausbezahlt via Stripe)",
      "Amount per automatic recharge (CHF, prepaid via Stripe)",
    ),
    rechargeMaxPerMonth: field(
      "Max. Nachladungen/Monat",
      "Max. recharges per month",
      "Höchstzahl automatischer Nachladungen pro Monat",
      "Maximum number of automatic recharges per month",
    ),
    rechargesThisMonth: field(
      "Nachladungen diesen Monat",
      "Recharges this month",
      "Zähler: automatische Nachladungen in diesem Monat",
      "Counter: automatic recharges used this month",
    ),
    monthResetAt: field(
      "Monats-Reset",
      "Month reset",
      "Wann der Monatszähler zuletzt zurückgesetzt wurde",
      "When the monthly recharge counter was last reset",
    ),
    notifyEmails: field(
      "E-Mails für Billing-Alerts (Inhaber/Admin)",
      "E-mails for billing alerts (owner/admin)",
      "Adressen für Warnungen, z. B. wenn das Guthaben aufgebraucht ist",
      "Addresses for billing alerts, e.g. when the pool is exhausted",
    ),
    notifyOnWarning: field(
      "Bei Warnung benachrichtigen",
      "Notify on warning",
      "E-Mail senden, wenn die Warnschwelle erreicht ist",
      "Send an e-mail when the warning threshold is reached",
    ),
    storageHighWatermarkMB: field(
      "Speicher-Peak (MB)",
      "Storage peak (MB)",
      "Höchstes indexiertes Datenvolumen in der laufenden Periode",
      "Peak indexed data volume in the current billing period",
    ),
    storagePeriodStartAt: field(
      "Speicher-Periodenbeginn",
      "Storage period start",
      "Beginn der Abrechnungsperiode für Speicher",
      "Start of the storage billing period",
    ),
    storageBilledUpToMB: field(
      "Speicher abgerechneter Überhang (MB)",
      "Storage overage billed (MB)",
      "In dieser Periode bereits belasteter Überhang über dem inbegriffenen Volumen",
      "Overage already debited this period (above the included volume)",
    ),
    storageIncludedMB: field(
      "Inbegriffener Speicher (MB)",
      "Included storage (MB)",
      "Im Plan inbegriffenes Volumen; leer: Standard der Plattform",
      "Volume included in the plan; empty: the platform default",
    ),
    providerCostMarkupPercent: field(
      "Aufschlag auf Anbieterkosten (%)",
      "Markup on provider cost (%)",
      "Aufschlag, wenn das Gateway Kosten statt Preis meldet; leer: Standard der Plattform (50 %)",
      "Markup when the gateway reports cost instead of price; empty: the platform default (50%)",
    ),
    settingsVersion: field(
      "Einstellungsversion",
      "Settings version",
      "Zählt die gespeicherten Änderungen; ein veraltetes Formular wird abgewiesen",
      "Counts saved changes; a save from an outdated form is refused",
    ),
    updatedAt: field(
      "Aktualisiert am",
      "Updated at",
      "Letzte Änderung der Einstellungen",
      "When the settings last changed",
    ),
    stripePaymentMethodId: field(
      "Gespeicherte Karte (Stripe)",
      "Saved card (Stripe)",
      "Zahlungsmittel (pm_…) für automatische Nachladungen",
      "Payment method (pm_…) charged by automatic recharges",
    ),
    cardBrand: field("Kartenmarke", "Card brand", "Marke der gespeicherten Karte", "Brand of the saved card"),
    cardLast4: field(
      "Kartenendziffern",
      "Card last digits",
      "Letzte vier Ziffern der gespeicherten Karte",
      "Last four digits of the saved card",
    ),
    rechargeFailuresInRow: field(
      "Fehlgeschlagene Nachladungen in Folge",
      "Failed recharges in a row",
      "Seit der letzten erfolgreichen Nachladung; bei 3 schaltet sich die Auto-Nachladung aus",
      "Since the last successful recharge; at 3 auto-recharge switches itself off",
    ),
    autoRechargeSwitchedOffAt: field(
      "Auto-Nachladung ausgeschaltet am",
      "Auto-recharge switched off at",
      "Wann Fehlschläge die Auto-Nachladung ausgeschaltet haben",
      "When failures switched auto-recharge off",
    ),
    poolExhaustedNotifiedAt: field(
      "Letzte Meldung «Guthaben aufgebraucht»",
      "Last 'balance exhausted' notice",
      "Höchstens eine solche E-Mail pro Stunde",
      "At most one such e-mail an hour",
    ),
  },
};
