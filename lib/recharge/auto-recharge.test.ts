import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBillingCheck } from "@/lib/billing-check/run-billing-check";
import { prisma } from "@/lib/db/client";
import { translateEmail } from "@/lib/email/messages/render-email";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { bookUsageBatch } from "@/lib/ledger/book-usage";
import { credit, debit } from "@/lib/ledger/post-transaction";
import { sendMandateEmail } from "@/lib/notifications/mandate-email";
import { mandateEmailJob, type MandateEmailJob } from "@/lib/notifications/mandate-email-job";
import { startTopUp } from "@/lib/payments/start-top-up";
import { updateBillingSettings } from "@/lib/settings/update-billing-settings";
import { ownerPrisma } from "@/testing/owner-connection";
import { startAppStripe, type TestStripe } from "@/testing/stripe-test-server";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { waitUntil } from "@/testing/wait-until";
import { runAutoRecharge } from "./auto-recharge";
import { rollBudgetMonths } from "./budget-month-roll";
import { sendLowBalanceWarning } from "./low-balance-warning";
import { notePoolExhausted } from "./pool-exhausted";
import { getRechargeStatus } from "./recharge-status";

/**
 * Issue 15 end to end on real PostgreSQL and the offline Stripe: the budget and its threshold,
 * crossings recorded by the database, the recharge and warning jobs (their handlers called as the
 * worker calls them, and once through two worker processes), the monthly cap, failures and the
 * switch-off. Stripe's webhooks reach the app's route in-process; tests await them, never sleep.
 */

let stripe: TestStripe;

beforeAll(async () => {
  stripe = await startAppStripe();
});
afterAll(() => stripe.close());

async function pool(m: TestMandate) {
  return prisma.billingAccount.findUniqueOrThrow({ where: { id: m.poolAccountId } });
}

async function settingsOf(m: TestMandate) {
  return prisma.billingSettings.findUniqueOrThrow({ where: { mandateId: m.mandateId } });
}

async function crossingsOf(m: TestMandate) {
  return prisma.poolThresholdCrossing.findMany({ where: { mandateId: m.mandateId }, orderBy: { crossedAt: "asc" } });
}

/** The jobs the database queued for a crossing, by task. */
async function jobsOfCrossing(crossingId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ task: string }[]>`
    SELECT t.identifier AS task FROM graphile_worker._private_jobs j
      JOIN graphile_worker._private_tasks t ON t.id = j.task_id
     WHERE j.payload ->> 'crossingId' = ${crossingId}
     ORDER BY t.identifier`;
  return rows.map((r) => r.task);
}

/** The "mandate-email" jobs queued for a mandate's facts (payment, refund, …), as payloads. */
async function emailJobs(where: { paymentId?: string; mandateId?: string }): Promise<MandateEmailJob[]> {
  const rows = await prisma.$queryRaw<{ payload: unknown }[]>`
    SELECT j.payload FROM graphile_worker._private_jobs j
      JOIN graphile_worker._private_tasks t ON t.id = j.task_id
     WHERE t.identifier = 'mandate-email'
       AND (j.payload ->> 'paymentId' = ${where.paymentId ?? null} OR j.payload ->> 'mandateId' = ${where.mandateId ?? null})
     ORDER BY j.id`;
  return rows.map((r) => mandateEmailJob.parse(r.payload));
}

async function spend(m: TestMandate, amount: string) {
  return debit({ accountId: m.poolAccountId, amount, idempotencyKey: randomUUID(), description: "usage" });
}

async function topUpByHand(m: TestMandate, amount: string) {
  return credit({ accountId: m.poolAccountId, amount, idempotencyKey: randomUUID(), description: "bank transfer" });
}

/** Admin saves of the settings through the domain (each with the version it read). */
async function saveSettings(m: TestMandate, change: Partial<Parameters<typeof updateBillingSettings>[0]["settings"]>) {
  const row = await settingsOf(m);
  const mandate = await prisma.mandate.findUniqueOrThrow({ where: { id: m.mandateId } });
  return updateBillingSettings({
    mandateId: m.mandateId,
    changedByUserId: m.adminId,
    expectedVersion: row.settingsVersion,
    settings: {
      warningThresholdPercent: row.warningThresholdPercent.toFixed(2),
      notifyEmails: row.notifyEmails,
      notifyOnWarning: row.notifyOnWarning,
      autoRechargeEnabled: row.autoRechargeEnabled,
      rechargeAmountCHF: row.rechargeAmountCHF.toFixed(2),
      rechargeMaxPerMonth: row.rechargeMaxPerMonth,
      locale: mandate.locale as "de" | "en",
      ...change,
    },
  });
}

/**
 * A mandate whose owner topped up by card and kept it, with auto-recharge on: `topUp` CHF paid by
 * Checkout (the month's budget), a threshold of `percent` of it, `recharge` CHF per recharge.
 */
async function mandateWithCard(
  opts: { topUp?: string; percent?: string; recharge?: string; maxPerMonth?: number; card?: string } = {},
) {
  const m = await createTestMandate();
  const started = await startTopUp({
    mandateId: m.mandateId,
    userId: m.ownerId,
    amount: opts.topUp ?? "100.00",
    saveCard: true,
    origin: "http://app.test",
  });
  const sessionId = new URL(started.checkoutUrl).pathname.split("/").pop()!;
  const paid = stripe.server.payCheckoutSession(sessionId, { saveCard: true, card: opts.card });
  if (paid.outcome !== "paid") throw new Error(`checkout not paid: ${paid.outcome}`);
  await stripe.server.waitForDeliveries();
  await saveSettings(m, {
    warningThresholdPercent: opts.percent ?? "10.00",
    autoRechargeEnabled: true,
    rechargeAmountCHF: opts.recharge ?? "50.00",
    rechargeMaxPerMonth: opts.maxPerMonth ?? 3,
  });
  const settings = await settingsOf(m);
  if (!settings.stripePaymentMethodId || !settings.stripeCustomerId) throw new Error("no card kept");
  return { ...m, customerId: settings.stripeCustomerId };
}

/** Off-session intents Stripe has for the customer: what auto-recharge charged. */
async function rechargeIntents(customerId: string) {
  const list = await stripe.stripe.paymentIntents.list({ customer: customerId, limit: 100 });
  return list.data.filter((intent) => intent.metadata.kind === "AUTO_RECHARGE");
}

/** Debits the pool from above its threshold to just below it; the crossing it recorded. */
async function crossBelow(m: TestMandate) {
  const account = await pool(m);
  const amount = account.balance.minus(account.warningThreshold).plus("0.000001").toFixed(6);
  await spend(m, amount);
  const crossings = await crossingsOf(m);
  const last = crossings.at(-1);
  if (!last || last.balanceAfter.toFixed(6) !== (await pool(m)).balance.toFixed(6)) throw new Error("no crossing");
  return last;
}

/** Makes the kept card one Stripe refuses off-session (declined, or the bank wants the customer). */
async function keepFailingCard(m: TestMandate & { customerId: string }, token: string) {
  const method = await stripe.stripe.paymentMethods.attach(token, { customer: m.customerId });
  await prisma.billingSettings.update({
    where: { mandateId: m.mandateId },
    data: { stripePaymentMethodId: method.id },
  });
}

describe("the budget and its warning threshold", () => {
  it("is the percentage of the month's budget and follows credits, debits and the percentage", async () => {
    const m = await createTestMandate({ balance: "100" });
    expect(await pool(m)).toMatchObject({ budget: expect.anything() });
    expect((await pool(m)).budget.toFixed(6)).toBe("100.000000");
    expect((await pool(m)).warningThreshold.toFixed(6)).toBe("10.000000");

    await topUpByHand(m, "50.5");
    await spend(m, "20");
    const after = await pool(m);
    // Credits raise the budget; spending does not lower it.
    expect([after.balance.toFixed(6), after.budget.toFixed(6), after.warningThreshold.toFixed(6)]).toEqual([
      "130.500000",
      "150.500000",
      "15.050000",
    ]);

    await saveSettings(m, { warningThresholdPercent: "12.5" });
    expect((await pool(m)).warningThreshold.toFixed(6)).toBe("18.812500");
  });

  it("opens a new month with the balance: at its first booking, or by the periodic roll", async () => {
    const booked = await createTestMandate({ balance: "80" });
    const idle = await createTestMandate({ balance: "60" });
    await topUpByHand(booked, "20");
    await topUpByHand(idle, "40");
    // As if both budgets were last month's (the owner may move the month; the app may not).
    await ownerPrisma.$executeRaw`
      UPDATE billing_account SET budget_month = (budget_month - interval '1 month')::date
       WHERE id IN (${booked.poolAccountId}::uuid, ${idle.poolAccountId}::uuid)`;

    await spend(booked, "30");
    // The balance before the month's first booking opens the budget: 100, threshold 10.
    expect((await pool(booked)).budget.toFixed(6)).toBe("100.000000");
    expect((await pool(booked)).warningThreshold.toFixed(6)).toBe("10.000000");

    expect((await pool(idle)).budget.toFixed(6)).toBe("100.000000");
    expect(await rollBudgetMonths()).toBeGreaterThanOrEqual(1);
    const rolled = await pool(idle);
    expect([rolled.budget.toFixed(6), rolled.warningThreshold.toFixed(6)]).toEqual(["100.000000", "10.000000"]);
    expect(rolled.budgetMonth).not.toBeNull();
  });

  it("cannot be set by the app's role: only the percentage moves it", async () => {
    const m = await createTestMandate({ balance: "10" });
    await expect(
      prisma.billingAccount.update({ where: { id: m.poolAccountId }, data: { warningThreshold: "9" } }),
    ).rejects.toThrow(/permission denied/);
    expect((await pool(m)).warningThreshold.toFixed(6)).toBe("1.000000");
  });
});

describe("threshold crossings", () => {
  it("100 concurrent debits that cross together record one crossing and queue its two jobs", async () => {
    const m = await createTestMandate({ balance: "100" });
    await Promise.all(Array.from({ length: 100 }, () => spend(m, "1")));
    expect((await pool(m)).balance.toFixed(6)).toBe("0.000000");
    const crossings = await crossingsOf(m);
    expect(crossings).toHaveLength(1);
    const [crossing] = crossings;
    expect(crossing!.balanceBefore.toFixed(6)).toBe("10.000000");
    expect(crossing!.balanceAfter.toFixed(6)).toBe("9.000000");
    expect(await jobsOfCrossing(crossing!.id)).toEqual(["auto-recharge", "low-balance-warning"]);
  });

  it("re-arms only when the balance was back at or above the threshold", async () => {
    const m = await createTestMandate({ balance: "100" });
    await spend(m, "95");
    await spend(m, "1");
    expect(await crossingsOf(m)).toHaveLength(1);
    // 50 more: budget 150, threshold 15, balance 54: above again; falling below crosses anew.
    await topUpByHand(m, "50");
    await spend(m, "40");
    expect(await crossingsOf(m)).toHaveLength(2);
  });

  it("a batch of usage that crosses records it too", async () => {
    const m = await createTestMandate({ balance: "10" });
    await bookUsageBatch(
      Array.from({ length: 20 }, () => ({
        mandateId: m.mandateId,
        amount: "0.5",
        provider: "openai",
        model: "gpt-4o",
        idempotencyKey: randomUUID(),
      })),
    );
    expect(await crossingsOf(m)).toHaveLength(1);
  });
});

describe("the low-balance warning", () => {
  it("is sent once per crossing, in the mandate's language, and only when wanted", async () => {
    const m = await createTestMandate({ balance: "100" });
    const crossing = await crossBelow(m);
    expect(await sendLowBalanceWarning(crossing.id)).toBe("SENT");
    expect(await sendLowBalanceWarning(crossing.id)).toBe("SENT");
    const mails = await prisma.emailOutbox.findMany({ where: { mandateId: m.mandateId, kind: "low-balance-warning" } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/Guthaben|Warnschwelle/);
    expect(mails[0]!.textBody).toContain("9.99");
    // The runway forecast rides along: the usage is today's, so no whole day of burn yet.
    expect(mails[0]!.textBody).toContain(translateEmail("de", "lowBalance.forecastMethod"));
    expect(mails[0]!.textBody).toContain(
      "Aufgebraucht am, beim Verbrauch der letzten 7 Tage: Kein Verbrauch: kein Datum",
    );
    expect((await pool(m)).lastWarningAt).not.toBeNull();

    await saveSettings(m, { notifyOnWarning: false, locale: "en" });
    await topUpByHand(m, "100");
    const again = await crossBelow(m);
    expect(await sendLowBalanceWarning(again.id)).toBe("NOT_WANTED");
    expect(await prisma.emailOutbox.count({ where: { mandateId: m.mandateId, kind: "low-balance-warning" } })).toBe(1);
  });
});

describe("auto-recharge", () => {
  it("charges the kept card once per crossing, however often its job runs, and credits it once", async () => {
    const m = await mandateWithCard({ topUp: "100.00", percent: "10", recharge: "50.00" });
    const crossing = await crossBelow(m);
    const results = await Promise.all([runAutoRecharge(crossing.id), runAutoRecharge(crossing.id)]);
    await runAutoRecharge(crossing.id);
    await stripe.server.waitForDeliveries();

    expect(results.map((r) => r.outcome)).toEqual(["STARTED", "STARTED"]);
    expect(await rechargeIntents(m.customerId)).toHaveLength(1);
    const payments = await prisma.payment.findMany({ where: { mandateId: m.mandateId, kind: "AUTO_RECHARGE" } });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ status: "PAID", thresholdCrossingId: crossing.id, cardLast4: "4242" });
    // 100 paid, spent to 9.999999, 50 recharged.
    expect((await getPoolAccount(m.mandateId)).balance).toBe("59.999999");
    const credits = await prisma.billingTransaction.count({
      where: { accountId: m.poolAccountId, idempotencyKey: `payment:${payments[0]!.id}` },
    });
    expect(credits).toBe(1);
    expect((await settingsOf(m)).rechargesThisMonth).toBe(1);
    expect((await emailJobs({ paymentId: payments[0]!.id })).map((j) => j.kind)).toEqual(["auto-recharge-succeeded"]);
    expect(await getRechargeStatus(m.mandateId)).toMatchObject({
      enabled: true,
      card: { brand: "visa", last4: "4242" },
      thisMonth: 1,
      inFlight: false,
      lastFailure: null,
    });
  });

  it("a job that died after Stripe charged, run again, neither charges nor credits twice", async () => {
    const m = await mandateWithCard({ topUp: "100.00", percent: "10", recharge: "30.00" });
    stripe.server.setDeliveryMode("hold");
    const crossing = await crossBelow(m);
    const first = await runAutoRecharge(crossing.id);
    // As if the process died after Stripe's answer, before our commit: the payment still PENDING.
    await ownerPrisma.payment.update({
      where: { id: first.payment!.id },
      data: { status: "PENDING", creditTransactionId: null, paidAt: null },
    });
    const again = await runAutoRecharge(crossing.id);
    stripe.server.setDeliveryMode("normal");
    stripe.server.releaseHeld({ order: "asIs" });
    await stripe.server.waitForDeliveries();

    expect(again.payment).toEqual({ id: first.payment!.id, status: "PAID" });
    expect(await rechargeIntents(m.customerId)).toHaveLength(1);
    expect(
      await prisma.billingTransaction.count({
        where: { accountId: m.poolAccountId, idempotencyKey: `payment:${first.payment!.id}` },
      }),
    ).toBe(1);
    expect((await getPoolAccount(m.mandateId)).balance).toBe("39.999999");
  });

  it("100 concurrent debits crossing with two worker processes running start exactly one recharge", async () => {
    const m = await mandateWithCard({ topUp: "100.00", percent: "10", recharge: "20.00" });
    const workers = [startWorkerProcess(), startWorkerProcess()];
    try {
      await Promise.all(workers.map((w) => w.ready));
      await Promise.all(Array.from({ length: 100 }, () => spend(m, "1")));
      await waitUntil(
        "the recharge is paid and its jobs are done",
        async () => {
          const paid = await prisma.payment.count({
            where: { mandateId: m.mandateId, kind: "AUTO_RECHARGE", status: "PAID" },
          });
          const [crossing] = await crossingsOf(m);
          return paid === 1 && crossing !== undefined && (await jobsOfCrossing(crossing.id)).length === 0;
        },
        { timeoutMs: 60_000 },
      );
      await stripe.server.waitForDeliveries();
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    expect(await crossingsOf(m)).toHaveLength(1);
    expect(await rechargeIntents(m.customerId)).toHaveLength(1);
    expect(await prisma.payment.count({ where: { mandateId: m.mandateId, kind: "AUTO_RECHARGE" } })).toBe(1);
    expect((await getPoolAccount(m.mandateId)).balance).toBe("20.000000");
  });

  it("stops at the monthly cap, and the cap resets at the start of the Zurich month", async () => {
    const m = await mandateWithCard({ topUp: "100.00", percent: "10", recharge: "10.00", maxPerMonth: 1 });
    const first = await crossBelow(m);
    expect((await runAutoRecharge(first.id)).outcome).toBe("STARTED");
    await stripe.server.waitForDeliveries();
    // The recharge lifted the pool above its threshold again (budget 110, threshold 11).
    const second = await crossBelow(m);
    expect(await runAutoRecharge(second.id)).toEqual({ outcome: "MONTHLY_CAP" });
    expect(await rechargeIntents(m.customerId)).toHaveLength(1);
    expect((await prisma.poolThresholdCrossing.findUniqueOrThrow({ where: { id: second.id } })).rechargeOutcome).toBe(
      "MONTHLY_CAP",
    );

    // As if the one recharge had been last month: the count starts again at this month's start.
    await prisma.$executeRaw`
      UPDATE billing_settings SET month_reset_at = month_reset_at - interval '1 month'
       WHERE mandate_id = ${m.mandateId}::uuid`;
    await topUpByHand(m, "100");
    const third = await crossBelow(m);
    expect((await runAutoRecharge(third.id)).outcome).toBe("STARTED");
    const settings = await settingsOf(m);
    expect(settings.rechargesThisMonth).toBe(1);
    const [monthStart] = await prisma.$queryRaw<{ start: Date }[]>`
      SELECT timezone('Europe/Zurich', date_trunc('month', timezone('Europe/Zurich', now()))) AS start`;
    expect(settings.monthResetAt?.toISOString()).toBe(monthStart!.start.toISOString());
  });

  it("records a declined recharge and e-mails it once; three in a row switch it off for good", async () => {
    const m = await mandateWithCard({ topUp: "100.00", percent: "10", recharge: "25.00" });
    await keepFailingCard(m, "pm_card_chargeDeclined");

    const failed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const crossing = await crossBelow(m);
      const result = await runAutoRecharge(crossing.id);
      expect(result.payment?.status).toBe("FAILED");
      failed.push(result.payment!.id);
      await topUpByHand(m, "100");
    }
    const payments = await prisma.payment.findMany({ where: { id: { in: failed } } });
    expect(payments.map((p) => [p.status, p.failureCode])).toEqual(Array(3).fill(["FAILED", "card_declined"]));
    expect((await getPoolAccount(m.mandateId)).balance).not.toContain("25.");

    const settings = await settingsOf(m);
    expect(settings).toMatchObject({ autoRechargeEnabled: false, rechargeFailuresInRow: 3, rechargesThisMonth: 0 });
    expect(settings.autoRechargeSwitchedOffAt).not.toBeNull();

    // One e-mail job per failure; the third says it switched auto-recharge off.
    const jobs = (await Promise.all(failed.map((id) => emailJobs({ paymentId: id })))).flat();
    expect(jobs).toEqual([
      { kind: "auto-recharge-failed", paymentId: failed[0] },
      { kind: "auto-recharge-failed", paymentId: failed[1] },
      { kind: "auto-recharge-failed", paymentId: failed[2], switchedOffAfter: 3 },
    ]);
    for (const job of [...jobs, jobs[0]!]) await sendMandateEmail(job);
    const mails = await prisma.emailOutbox.findMany({
      where: { mandateId: m.mandateId, kind: "auto-recharge-failed" },
      orderBy: { createdAt: "asc" },
    });
    expect(mails).toHaveLength(3);

    // Nothing switches it back on: neither the next crossing, nor a paid top-up.
    const later = await crossBelow(m);
    expect(await runAutoRecharge(later.id)).toEqual({ outcome: "DISABLED" });
    expect(await rechargeIntents(m.customerId)).toHaveLength(3);
    expect((await settingsOf(m)).autoRechargeEnabled).toBe(false);
    const status = await getRechargeStatus(m.mandateId);
    expect(status).toMatchObject({ enabled: false, failuresInRow: 3, lastFailure: { reason: "declined" } });
    expect(status?.switchedOffAt).not.toBeNull();

    // An admin switching it on again starts the count afresh.
    await saveSettings(m, { autoRechargeEnabled: true });
    expect(await settingsOf(m)).toMatchObject({
      autoRechargeEnabled: true,
      rechargeFailuresInRow: 0,
      autoRechargeSwitchedOffAt: null,
    });
  });

  it("records a recharge the bank wants confirmed, and says to pay while present", async () => {
    const m = await mandateWithCard({ topUp: "100.00", percent: "10", recharge: "25.00" });
    await keepFailingCard(m, "pm_card_authenticationRequired");
    const crossing = await crossBelow(m);
    const result = await runAutoRecharge(crossing.id);
    expect(result.payment?.status).toBe("FAILED");
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: result.payment!.id } })).failureCode).toBe(
      "authentication_required",
    );
    expect(await getRechargeStatus(m.mandateId)).toMatchObject({
      enabled: true,
      failuresInRow: 1,
      lastFailure: { reason: "authentication_required", amount: "25.00" },
    });
    const [job] = await emailJobs({ paymentId: result.payment!.id });
    await sendMandateEmail(job!);
    const [mail] = await prisma.emailOutbox.findMany({
      where: { mandateId: m.mandateId, kind: "auto-recharge-failed" },
    });
    expect(mail?.textBody).toMatch(/aufladen|Aufladen/);
  });

  it("does nothing without a kept card or when switched off, and cannot be switched on without a card", async () => {
    const m = await createTestMandate({ balance: "100" });
    await expect(saveSettings(m, { autoRechargeEnabled: true })).rejects.toMatchObject({ code: "NO_SAVED_CARD" });
    expect(await settingsOf(m)).toMatchObject({ autoRechargeEnabled: false, settingsVersion: 0 });
    const crossing = await crossBelow(m);
    expect(await runAutoRecharge(crossing.id)).toEqual({ outcome: "DISABLED" });
    expect(await prisma.payment.count({ where: { mandateId: m.mandateId } })).toBe(0);
  });
});

describe("the pool-exhausted notice", () => {
  it("queues at most one e-mail an hour, from refused billing checks", async () => {
    const m = await createTestMandate({ balance: "1" });
    const refused = await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "2" });
    expect(refused).toMatchObject({ allowed: false, reason: "INSUFFICIENT_BALANCE" });
    await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "2" });
    expect(await emailJobs({ mandateId: m.mandateId })).toHaveLength(1);

    const noted = (await settingsOf(m)).poolExhaustedNotifiedAt!;
    expect(await notePoolExhausted(m.mandateId, new Date(noted.getTime() + 59 * 60_000))).toBe(false);
    expect(await notePoolExhausted(m.mandateId, new Date(noted.getTime() + 60 * 60_000))).toBe(true);
    const jobs = await emailJobs({ mandateId: m.mandateId });
    expect(jobs.map((j) => j.kind)).toEqual(["pool-exhausted", "pool-exhausted"]);
    await sendMandateEmail(jobs[0]!);
    await sendMandateEmail(jobs[0]!);
    expect(await prisma.emailOutbox.count({ where: { mandateId: m.mandateId, kind: "pool-exhausted" } })).toBe(1);
  });
});

/** The app's worker in a child process (testing/recharge-worker-child.ts) with this file's Stripe. */
function startWorkerProcess() {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.resolve("testing/recharge-worker-child.ts")],
    { env: process.env, stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("READY\n")) resolve();
    });
    void exited.then(() => reject(new Error("the worker process exited before it was ready")));
  });
  return {
    ready,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
