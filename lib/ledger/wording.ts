import { z } from "zod";
import { toMoney } from "@/lib/money/money";

/**
 * What the platform's own bookings say, as a key and its values (table
 * billing_transaction_wording, one row per transaction): pages render it in the reader's language
 * (describe-transaction.ts) from these facts, never by reading the stored sentence back. Text a
 * person or the calling platform typed (an admin's reason, a usage event's own description) has no
 * wording and is shown as typed; a usage debit's columns say what it was. Safe in the browser.
 */
const Card = z.object({ brand: z.string().nullable(), last4: z.string().regex(/^\d{4}$/) }).nullable();
/** Megabytes as a plain decimal string ("1536.5"). */
const Megabytes = z.string().regex(/^\d+(\.\d+)?$/);

export const LedgerWording = z.discriminatedUnion("key", [
  z.object({ key: z.literal("topUp"), card: Card }),
  z.object({ key: z.literal("autoRecharge"), card: Card }),
  /** The Stripe id is the row's reference id; the English sentence names it too. */
  z.object({ key: z.literal("refund"), stripeId: z.string().min(1) }),
  z.object({ key: z.literal("disputeWithdrawn"), stripeId: z.string().min(1) }),
  z.object({ key: z.literal("disputeReinstated"), stripeId: z.string().min(1) }),
  z.object({ key: z.literal("welcomeCredit") }),
  z.object({ key: z.literal("bankTransfer") }),
  z.object({ key: z.literal("planBudget"), planNameDe: z.string().min(1), planNameEn: z.string().min(1) }),
  z.object({
    key: z.literal("storageOverage"),
    fromMB: Megabytes,
    toMB: Megabytes,
    includedMB: Megabytes,
    peakMB: Megabytes,
    /** "2026-11" (a Zurich month), or the period's start instant for a period of another length. */
    period: z.string().min(1),
  }),
]);
export type LedgerWording = z.infer<typeof LedgerWording>;

/**
 * The English sentence a worded booking stores as its description (the API's text, the search's
 * text). Exactly what these bookings wrote before wordings existed: the description is part of a
 * booking's request hash, so a retried booking (a webhook delivered again) must write it the same.
 */
export function ledgerDescription(wording: LedgerWording): string {
  switch (wording.key) {
    case "topUp":
      return withCard("Top-up", wording.card);
    case "autoRecharge":
      return withCard("Automatic recharge", wording.card);
    case "refund":
      return `Refund of a top-up (${wording.stripeId})`;
    case "disputeWithdrawn":
      return `Disputed top-up: funds withdrawn (${wording.stripeId})`;
    case "disputeReinstated":
      return `Dispute won: funds reinstated (${wording.stripeId})`;
    case "welcomeCredit":
      return "Welcome credit";
    case "bankTransfer":
      return "Top-up by bank transfer";
    case "planBudget":
      return `AI budget of plan ${wording.planNameEn}`;
    case "storageOverage":
      return (
        `Storage overage ${formatMB(wording.fromMB)} MB → ${formatMB(wording.toMB)} MB ` +
        `above ${formatMB(wording.includedMB)} MB included ` +
        `(peak ${formatMB(wording.peakMB)} MB, period ${wording.period})`
      );
  }
}

/** Stripe's brand id as the sentence always had it ("visa •••• 4242"). */
function withCard(label: string, card: z.infer<typeof Card>): string {
  return card ? `${label} by card ${card.brand ? `${card.brand} ` : ""}•••• ${card.last4}` : label;
}

/** "1536.500000" → "1,536.5": grouping on the digits, never through a float. */
export function formatMB(value: string): string {
  const [whole = "0", fraction = ""] = toMoney(value).toFixed().split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/** Megabytes as a wording keeps them: "1536.500000" → "1536.5". */
export function wordingMB(value: string): string {
  return toMoney(value).toFixed();
}
