import type { Prisma } from "@/lib/db/generated/client";
import { field, type ModelMetadata } from "./types";

/** German labels as in the seed (datamodelBilling.py, BillingTransaction); the rest added here. */
export const BILLING_TRANSACTION: ModelMetadata<Prisma.BillingTransactionScalarFieldEnum> = {
  label: { de: "Transaktion", en: "Transaction" },
  fields: {
    id: field("ID", "ID", "Primärschlüssel", "Primary key"),
    accountId: field(
      "Konto-ID",
      "Account ID",
      "Gebuchtes Abrechnungskonto",
      "Billing account the transaction is booked on",
    ),
    mandateId: field("Mandanten-ID", "Mandate ID", "Mandant des Kontos", "Mandate of the account"),
    transactionType: field(
      "Typ",
      "Type",
      "Gutschrift, Belastung oder Korrektur",
      "Transaction type: credit, debit or adjustment",
    ),
    amount: field(
      "Betrag (CHF)",
      "Amount (CHF)",
      "Betrag in CHF; positiv bei Gutschrift und Belastung, mit Vorzeichen bei Korrekturen",
      "Amount in CHF; positive for credits and debits, signed for adjustments",
    ),
    currency: field("Währung", "Currency", "Währung der Buchung (ISO 4217)", "Currency of the booking (ISO 4217)"),
    balanceAfter: field(
      "Saldo danach (CHF)",
      "Balance after (CHF)",
      "Kontostand unmittelbar nach dieser Buchung",
      "Account balance right after this booking",
    ),
    description: field("Beschreibung", "Description", "Beschreibung der Transaktion", "Transaction description"),
    referenceType: field(
      "Referenztyp",
      "Reference type",
      "Herkunft der Buchung, z. B. Workflow oder Zahlung",
      "Source of the booking, e.g. workflow or payment",
    ),
    referenceId: field("Referenz-ID", "Reference ID", "Kennung in der Herkunft", "Identifier in the source"),
    workflowId: field(
      "Workflow-ID",
      "Workflow ID",
      "Workflow der Belastung (Chat oder grafischer Editor)",
      "Workflow of the charge (chat or graphical editor)",
    ),
    featureInstanceId: field("Feature-Instanz-ID", "Feature instance ID", "Instanz des Features", "Feature instance"),
    featureCode: field(
      "Feature-Code",
      "Feature code",
      "Code des Features, z. B. automation",
      "Feature code, e.g. automation",
    ),
    aicoreProvider: field(
      "AI-Anbieter",
      "AI provider",
      "AI-Anbieter des Aufrufs (anthropic, openai usw.)",
      "AI provider of the call (anthropic, openai, etc.)",
    ),
    aicoreModel: field(
      "AI-Modell",
      "AI model",
      "Name des AI-Modells, z. B. claude-4-sonnet",
      "AI model name, e.g. claude-4-sonnet or gpt-4o",
    ),
    createdByUserId: field(
      "Erstellt von Benutzer",
      "Created by user",
      "Person, die die Buchung ausgelöst hat",
      "User who created or caused this transaction",
    ),
    processingTime: field(
      "Verarbeitungszeit (s)",
      "Processing time (s)",
      "Dauer des AI-Aufrufs in Sekunden",
      "Processing time of the AI call in seconds",
    ),
    bytesSent: field("Gesendete Bytes", "Bytes sent", "An das AI-Modell gesendete Bytes", "Bytes sent to the AI model"),
    bytesReceived: field(
      "Empfangene Bytes",
      "Bytes received",
      "Vom AI-Modell empfangene Bytes",
      "Bytes received from the AI model",
    ),
    errorCount: field(
      "Fehleranzahl",
      "Error count",
      "Anzahl Fehler bei diesem Aufruf",
      "Number of errors in this call",
    ),
    providerCost: field(
      "Anbieterkosten (CHF)",
      "Provider cost (CHF)",
      "Was der Anbieter uns verrechnet hat, falls das Gateway Kosten statt Preis meldete",
      "What the provider charged, when the gateway reported cost rather than price",
    ),
    idempotencyKey: field(
      "Idempotenzschlüssel",
      "Idempotency key",
      "Eindeutig pro Konto: eine wiederholte Buchung bucht nichts zweimal",
      "Unique per account: a retried booking is not booked twice",
    ),
    requestHash: field(
      "Anfrage-Hash",
      "Request hash",
      "Hash der Buchungsdaten, unterscheidet Wiederholung von Schlüssel-Missbrauch",
      "Hash of the booking's data, telling an honest retry from a reused key",
    ),
    createdAt: field(
      "Aufruf am",
      "Call time",
      "Wann der AI-Aufruf stattfand (bei Gutschriften und Korrekturen: wann gebucht); danach rechnet die Statistik",
      "When the AI call happened (for credits and adjustments: when booked); the statistics count by it",
    ),
    bookedAt: field(
      "Gebucht am",
      "Booked at",
      "Zeitpunkt der Buchung (Serverzeit); der Saldo danach folgt der Buchungsreihenfolge",
      "When the ledger booked the transaction (server time); the balance after follows booking order",
    ),
    bookingSequence: field(
      "Buchungsnummer",
      "Booking number",
      "Fortlaufende Nummer in der Reihenfolge der Buchung",
      "Running number in the order of booking",
    ),
  },
};
