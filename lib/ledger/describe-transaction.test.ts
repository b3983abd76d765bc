import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import type { ReferenceType } from "@/lib/db/generated/enums";
import { getTranslator } from "@/lib/i18n/get-translator";
import { bookUsage } from "@/lib/ledger/book-usage";
import { storageDebitWording } from "@/lib/storage/storage-overage";
import { createTestMandate } from "@/testing/test-factories";
import { describeTransaction, type DescribableTransaction } from "./describe-transaction";
import { ledgerDescription, type LedgerWording } from "./wording";

const NO_FIELDS = { featureCode: null, aicoreProvider: null, aicoreModel: null, wording: null };

function row(referenceType: ReferenceType | null, description: string, fields = {}): DescribableTransaction {
  return { ...NO_FIELDS, referenceType, description, ...fields };
}

/** A row as the platform books it: the wording, and its English sentence as the description. */
function worded(referenceType: ReferenceType, wording: LedgerWording): DescribableTransaction {
  return { ...NO_FIELDS, referenceType, description: ledgerDescription(wording), wording };
}

function both(tx: DescribableTransaction): { de: string; en: string } {
  return {
    de: describeTransaction(tx, "de", getTranslator("de", "billing")),
    en: describeTransaction(tx, "en", getTranslator("en", "billing")),
  };
}

const STORAGE = storageDebitWording(
  {
    periodStart: new Date("2026-10-31T23:00:00Z"),
    periodReset: false,
    highWatermarkMB: "3584.5",
    overageMB: "1536.5",
    billedFromMB: "1024",
    billedUpToMB: "1536.5",
    debitAmount: "0.250000",
    changed: true,
  },
  "2048",
);

describe("describeTransaction", () => {
  it("renders AI usage from provider, model and feature", () => {
    const usage = { aicoreProvider: "openai", aicoreModel: "gpt-4o", featureCode: "workspace" };
    expect(both(row("WORKFLOW", "AI usage: openai gpt-4o (workspace)", usage))).toEqual({
      de: "AI-Nutzung: OpenAI gpt-4o (Arbeitsbereich)",
      en: "AI usage: OpenAI gpt-4o (Workspace)",
    });
    expect(both(row("WORKFLOW", "AI usage"))).toEqual({ de: "AI-Nutzung", en: "AI usage" });
    // A provider or feature the locale files do not know shows as its id.
    const unknown = { aicoreProvider: "acme", aicoreModel: null, featureCode: "reports" };
    expect(both(row("WORKFLOW", "AI usage: acme (reports)", unknown)).de).toBe("AI-Nutzung: acme (reports)");
  });

  it("keeps a usage event's own description as the platform sent it", () => {
    const usage = { aicoreProvider: "openai", aicoreModel: "gpt-4o", featureCode: "chat" };
    expect(both(row("WORKFLOW", "Summary of ticket 4711", usage))).toEqual({
      de: "Summary of ticket 4711",
      en: "Summary of ticket 4711",
    });
  });

  it("renders the payment wordings, card included, without the Stripe id", () => {
    const visa = { brand: "visa", last4: "4242" };
    expect(both(worded("PAYMENT", { key: "topUp", card: visa }))).toEqual({
      de: "Aufladung per Karte Visa •••• 4242",
      en: "Top-up by card Visa •••• 4242",
    });
    expect(both(worded("PAYMENT", { key: "topUp", card: { brand: null, last4: "0005" } })).de).toBe(
      "Aufladung per Karte •••• 0005",
    );
    expect(both(worded("PAYMENT", { key: "topUp", card: null }))).toEqual({ de: "Aufladung", en: "Top-up" });
    expect(both(worded("PAYMENT", { key: "autoRecharge", card: { brand: "mastercard", last4: "4444" } }))).toEqual({
      de: "Automatische Nachladung per Karte Mastercard •••• 4444",
      en: "Automatic recharge by card Mastercard •••• 4444",
    });
    expect(both(worded("PAYMENT", { key: "autoRecharge", card: null }))).toEqual({
      de: "Automatische Nachladung",
      en: "Automatic recharge",
    });
    expect(both(worded("PAYMENT", { key: "refund", stripeId: "re_3Abc" }))).toEqual({
      de: "Rückerstattung einer Aufladung",
      en: "Refund of a top-up",
    });
    expect(both(worded("PAYMENT", { key: "disputeWithdrawn", stripeId: "du_1X" }))).toEqual({
      de: "Angefochtene Aufladung: Betrag abgebucht",
      en: "Disputed top-up: funds withdrawn",
    });
    expect(both(worded("PAYMENT", { key: "disputeReinstated", stripeId: "du_1X" }))).toEqual({
      de: "Anfechtung gewonnen: Betrag wieder gutgeschrieben",
      en: "Dispute won: funds reinstated",
    });
  });

  it("renders the system credits of the demo data", () => {
    expect(both(worded("SYSTEM", { key: "welcomeCredit" }))).toEqual({ de: "Startguthaben", en: "Welcome credit" });
    expect(both(worded("SYSTEM", { key: "bankTransfer" }))).toEqual({
      de: "Aufladung per Banküberweisung",
      en: "Top-up by bank transfer",
    });
  });

  it("renders a subscription's AI budget with the plan's name in the reader's language", () => {
    expect(both(worded("SUBSCRIPTION", { key: "planBudget", planNameDe: "Geschäft", planNameEn: "Business" }))).toEqual(
      { de: "AI-Budget des Plans Geschäft", en: "AI budget of plan Business" },
    );
  });

  it("renders a storage debit with the reader's number format", () => {
    expect(both(worded("STORAGE", STORAGE))).toEqual({
      de: "Speicher über dem Inklusivvolumen: 1'024 MB → 1'536.5 MB über 2'048 MB inklusive (Höchststand 3'584.5 MB, Periode 2026-11)",
      en: "Storage overage 1,024 MB → 1,536.5 MB above 2,048 MB included (peak 3,584.5 MB, period 2026-11)",
    });
  });

  it("shows a row without a wording as typed, even when it reads like one", () => {
    expect(both(row("ADMIN", "Welcome credit"))).toEqual({ de: "Welcome credit", en: "Welcome credit" });
    expect(both(row("ADMIN", "Kulanz Ticket 17"))).toEqual({ de: "Kulanz Ticket 17", en: "Kulanz Ticket 17" });
    expect(both(row("PAYMENT", "Top-up by card visa •••• 4242")).de).toBe("Top-up by card visa •••• 4242");
    expect(both(row(null, "Top-up")).de).toBe("Top-up");
  });

  it("recognises what bookUsage writes (real database)", async () => {
    const m = await createTestMandate({ balance: "1" });
    const idempotencyKey = randomUUID();
    await bookUsage({
      mandateId: m.mandateId,
      userId: null,
      amount: "0.000012",
      idempotencyKey,
      provider: "anthropic",
      model: "claude-4-sonnet",
      featureCode: "documents",
    });
    const tx = await prisma.billingTransaction.findUniqueOrThrow({
      where: { accountId_idempotencyKey: { accountId: m.poolAccountId, idempotencyKey } },
    });
    expect(both({ ...tx, wording: null })).toEqual({
      de: "AI-Nutzung: Anthropic claude-4-sonnet (Dokumente)",
      en: "AI usage: Anthropic claude-4-sonnet (Documents)",
    });
  });
});
