import type { Prisma } from "@/lib/db/generated/client";
import { field, type ModelMetadata } from "./types";

/** A card top-up (issue 14); the specification has no such model, so every label is added here. */
export const PAYMENT: ModelMetadata<Prisma.PaymentScalarFieldEnum> = {
  label: { de: "Zahlung", en: "Payment" },
  fields: {
    id: field("ID", "ID", "Primärschlüssel", "Primary key"),
    mandateId: field(
      "Mandanten-ID",
      "Mandate ID",
      "Mandant, dessen Pool aufgeladen wird",
      "Mandate whose pool is topped up",
    ),
    createdByUserId: field(
      "Gestartet von",
      "Started by",
      "Person, die die Aufladung gestartet hat",
      "Person who started the top-up",
    ),
    amount: field("Betrag (CHF)", "Amount (CHF)", "Aufgeladener Betrag in CHF", "Amount topped up, in CHF"),
    currency: field("Währung", "Currency", "Währung der Zahlung (ISO 4217)", "Currency of the payment (ISO 4217)"),
    status: field(
      "Status",
      "Status",
      "Offen, in Bearbeitung, bezahlt, fehlgeschlagen oder abgelaufen",
      "Pending, processing, paid, failed or expired",
    ),
    saveCard: field(
      "Karte für die automatische Nachladung behalten",
      "Keep this card for automatic recharge",
      "Die Karte wird bei Stripe gespeichert und belastet, wenn die Auto-Nachladung eingeschaltet ist und das Guthaben knapp wird",
      "The card is kept at Stripe and charged when auto-recharge is on and the balance runs low",
    ),
    stripeCheckoutSessionId: field(
      "Stripe-Checkout-Session",
      "Stripe checkout session",
      "Checkout-Session bei Stripe (cs_…)",
      "Checkout session at Stripe (cs_…)",
    ),
    stripePaymentIntentId: field(
      "Stripe-PaymentIntent",
      "Stripe payment intent",
      "PaymentIntent bei Stripe (pi_…)",
      "Payment intent at Stripe (pi_…)",
    ),
    stripeChargeId: field(
      "Stripe-Belastung",
      "Stripe charge",
      "Belastung bei Stripe (ch_…)",
      "Charge at Stripe (ch_…)",
    ),
    cardBrand: field("Kartentyp", "Card brand", "Marke der bezahlenden Karte", "Brand of the card that paid"),
    cardLast4: field(
      "Karte (letzte 4 Ziffern)",
      "Card (last 4 digits)",
      "Die letzten vier Ziffern der Kartennummer",
      "The last four digits of the card number",
    ),
    receiptUrl: field("Beleg", "Receipt", "Zahlungsbeleg von Stripe", "Stripe's receipt for the payment"),
    creditTransactionId: field(
      "Gutschrift",
      "Credit",
      "Die Gutschrift auf dem Pool, einmal gebucht",
      "The pool's credit for this payment, booked once",
    ),
    paidAt: field(
      "Bezahlt am",
      "Paid at",
      "Zeitpunkt, zu dem Stripe die Zahlung bestätigt hat",
      "When Stripe confirmed the payment",
    ),
    createdAt: field("Datum", "Date", "Zeitpunkt, zu dem die Aufladung gestartet wurde", "When the top-up was started"),
    updatedAt: field("Geändert am", "Updated at", "Letzte Änderung der Zahlung", "Last change of the payment"),
    kind: field(
      "Art",
      "Kind",
      "Aufladung (Checkout) oder automatische Nachladung",
      "Top-up (Checkout) or automatic recharge",
    ),
    thresholdCrossingId: field(
      "Unterschreitung",
      "Threshold crossing",
      "Die Unterschreitung der Warnschwelle, auf die diese Nachladung antwortet",
      "The threshold crossing this recharge answers",
    ),
    failureCode: field("Fehlercode", "Failure code", "Ablehnungscode von Stripe", "Stripe's decline code"),
    failureMessage: field("Fehlermeldung", "Failure message", "Meldung von Stripe", "Stripe's message"),
  },
};
