import type { Prisma } from "@/lib/db/generated/client";
import { field, type ModelMetadata } from "./types";

/** German labels as in the seed (datamodelBilling.py, BillingAccount); the rest added here. */
export const BILLING_ACCOUNT: ModelMetadata<Prisma.BillingAccountScalarFieldEnum> = {
  label: { de: "Abrechnungskonto", en: "Billing account" },
  fields: {
    id: field("ID", "ID", "Primärschlüssel", "Primary key"),
    mandateId: field(
      "Mandanten-ID",
      "Mandate ID",
      "Mandant, zu dem das Konto gehört",
      "Mandate the account belongs to",
    ),
    userId: field(
      "Benutzer-ID",
      "User ID",
      "Leer beim Pool-Konto des Mandanten; gesetzt beim Auditkonto einer Person",
      "Empty for the mandate's pool account; set for a user's audit account",
    ),
    balance: field("Guthaben (CHF)", "Balance (CHF)", "Aktuelles Guthaben in CHF", "Current balance in CHF"),
    currency: field("Währung", "Currency", "Währung des Kontos (ISO 4217)", "Currency of the account (ISO 4217)"),
    warningThreshold: field(
      "Warnschwelle (CHF)",
      "Warning threshold (CHF)",
      "Unter diesem Guthaben wird gewarnt",
      "A warning is sent when the balance falls below this amount",
    ),
    lastWarningAt: field(
      "Letzte Warnung",
      "Last warning",
      "Zeitpunkt der letzten Warnung",
      "When the last warning was sent",
    ),
    enabled: field(
      "Aktiv",
      "Active",
      "Deaktivierte Konten lassen keine AI-Aufrufe zu",
      "A disabled account refuses AI calls",
    ),
    createdAt: field("Erstellt am", "Created at", "Zeitpunkt der Eröffnung", "When the account was opened"),
    reservedAmount: field(
      "Reserviert (CHF)",
      "Reserved (CHF)",
      "Summe der offenen Reservierungen, abgelaufene eingeschlossen, bis die Bereinigung sie markiert",
      "Sum of the open reservations, expired ones included until the sweep marks them",
    ),
    openHoldsExpireAfter: field(
      "Offene Reservierungen laufen ab nach",
      "Open reservations expire after",
      "Jede offene Reservierung läuft nach diesem Zeitpunkt ab (interne Leseschranke der Prüfung)",
      "Every open reservation expires after this instant (the billing check's internal read bound)",
    ),
    budgetMonth: field(
      "Budgetmonat",
      "Budget month",
      "Monat (Europe/Zurich), zu dem das Budget gehört",
      "Month (Europe/Zurich) the budget belongs to",
    ),
    budget: field(
      "Budget (CHF)",
      "Budget (CHF)",
      "Guthaben zu Monatsbeginn (mindestens 0) plus die seither gebuchten Gutschriften; die Warnschwelle ist ein Prozentsatz davon",
      "Balance at the start of the month (at least 0) plus the credits booked since; the warning threshold is a percentage of it",
    ),
  },
};
