import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runBillingCheck } from "@/lib/billing-check/run-billing-check";
import { prisma } from "@/lib/db/client";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { sendMandateEmail } from "@/lib/notifications/mandate-email";
import { mandateEmailJob, type MandateEmailJob } from "@/lib/notifications/mandate-email-job";
import { startAppStripe, type TestStripe } from "@/testing/stripe-test-server";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { savePlan } from "./plan-catalogue";
import { cancelSubscription, startPlanCheckout } from "./stripe-subscriptions";

/**
 * Subscriptions through Stripe end to end: the offline Stripe (scripts/stripe-test-server) runs
 * Checkout in subscription mode, renewals and cancellations, and delivers its signed webhooks to
 * the app's route in-process; tests await the deliveries, never sleep.
 */

let stripe: TestStripe;

beforeAll(async () => {
  stripe = await startAppStripe();
});
afterAll(() => stripe.close());
beforeEach(() => stripe.server.setDeliveryMode("normal"));

async function plan(budget: string) {
  return savePlan({
    code: `stripe-${randomUUID().slice(0, 8)}`,
    nameDe: "Plan",
    nameEn: "Plan",
    monthlyPriceCHF: "49.00",
    aiBudgetCHF: budget,
    includedStorageMB: "1024",
    active: true,
  });
}

/** The owner subscribes through Checkout and pays on the test page; resolves once every webhook was answered. */
async function subscribe(m: TestMandate, planId: string) {
  const { checkoutUrl } = await startPlanCheckout({
    mandateId: m.mandateId,
    planId,
    userId: m.ownerId,
    origin: "http://app.test",
  });
  const sessionId = new URL(checkoutUrl).pathname.split("/").pop()!;
  const paid = stripe.server.payCheckoutSession(sessionId, {});
  if (paid.outcome !== "subscribed") throw new Error(`not subscribed: ${paid.outcome}`);
  await stripe.server.waitForDeliveries();
  return ours(m);
}

async function ours(m: TestMandate) {
  return prisma.subscription.findMany({ where: { mandateId: m.mandateId }, orderBy: { createdAt: "asc" } });
}

async function subscriptionCredits(m: TestMandate) {
  return prisma.billingTransaction.findMany({
    where: { accountId: m.poolAccountId, referenceType: "SUBSCRIPTION" },
    orderBy: { bookingSequence: "asc" },
    select: { amount: true, referenceId: true },
  });
}

/** The "mandate-email" jobs about this mandate's subscriptions and their periods, in queue order. */
async function emailJobsOf(m: TestMandate): Promise<MandateEmailJob[]> {
  const rows = await prisma.$queryRaw<{ payload: unknown }[]>`
    SELECT j.payload FROM graphile_worker._private_jobs j
      JOIN graphile_worker._private_tasks t ON t.id = j.task_id
     WHERE t.identifier = 'mandate-email'
       AND (j.payload ->> 'subscriptionId' IN (SELECT id::text FROM subscription WHERE mandate_id = ${m.mandateId}::uuid)
            OR j.payload ->> 'creditId' IN (SELECT c.id::text FROM subscription_period_credit c
                                              JOIN subscription s ON s.id = c.subscription_id
                                             WHERE s.mandate_id = ${m.mandateId}::uuid))
     ORDER BY j.id`;
  return rows.map((r) => mandateEmailJob.parse(r.payload));
}

async function allowed(m: TestMandate) {
  return (await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "0", requireSubscription: true })).allowed;
}

describe("subscribing through Stripe Checkout", () => {
  it("credits the first invoice once, though it is delivered twice beside the checkout completion", async () => {
    const p = await plan("80.00");
    const m = await createTestMandate();
    expect(await allowed(m)).toBe(false);
    stripe.server.setDeliveryMode("twice");
    const [subscription] = await subscribe(m, p.id);

    expect(subscription).toMatchObject({ status: "ACTIVE", recurring: true });
    expect(subscription!.stripeSubscriptionId).toMatch(/^sub_/);
    const credits = await subscriptionCredits(m);
    expect(credits.map((c) => c.amount.toFixed(2))).toEqual(["80.00"]);
    expect(credits[0]!.referenceId).toMatch(/^in_/);
    expect((await getPoolAccount(m.mandateId)).balance).toBe("80.000000");
    expect(await allowed(m)).toBe(true);
    const history = await prisma.subscriptionStatusChange.findMany({
      where: { subscriptionId: subscription!.id },
      orderBy: { changedAt: "asc" },
    });
    expect(history.map((h) => h.toStatus)).toEqual(["PENDING", "ACTIVE"]);
  });

  it("events delivered in reverse order end the same: ACTIVE, one credit", async () => {
    const p = await plan("30.00");
    const m = await createTestMandate();
    stripe.server.setDeliveryMode("hold");
    const { checkoutUrl } = await startPlanCheckout({
      mandateId: m.mandateId,
      planId: p.id,
      userId: m.ownerId,
      origin: "http://app.test",
    });
    stripe.server.payCheckoutSession(new URL(checkoutUrl).pathname.split("/").pop()!, {});
    stripe.server.setDeliveryMode("normal");
    stripe.server.releaseHeld({ order: "reverse" });
    await stripe.server.waitForDeliveries();
    expect((await ours(m)).map((s) => s.status)).toEqual(["ACTIVE"]);
    expect(await subscriptionCredits(m)).toHaveLength(1);
  });

  it("two subscribe attempts at once leave one checkout payable and one subscription", async () => {
    const p = await plan("10.00");
    const m = await createTestMandate();
    const started = await Promise.all(
      [0, 1].map(() =>
        startPlanCheckout({ mandateId: m.mandateId, planId: p.id, userId: m.ownerId, origin: "http://app.test" }),
      ),
    );
    // The first start's session was expired at Stripe by the second: paying it is refused.
    const outcomes = started.map(({ checkoutUrl }) => {
      try {
        return stripe.server.payCheckoutSession(new URL(checkoutUrl).pathname.split("/").pop()!, {}).outcome;
      } catch (err) {
        return (err as Error).message.includes("no longer open") ? "expired" : "error";
      }
    });
    expect([...outcomes].sort()).toEqual(["expired", "subscribed"]);
    await stripe.server.waitForDeliveries();
    expect(outcomes.filter((o) => o === "subscribed")).toHaveLength(1);
    const rows = await ours(m);
    expect(rows.map((r) => r.status).sort()).toEqual(["ACTIVE", "EXPIRED"]);
    expect(await subscriptionCredits(m)).toHaveLength(1);
  });
});

describe("renewals, cancellation and plan changes", () => {
  it("a paid renewal credits the next period; a failed one is PAST_DUE and still spends; the last failure expires it", async () => {
    const p = await plan("20.00");
    const m = await createTestMandate();
    const [subscription] = await subscribe(m, p.id);
    const stripeId = subscription!.stripeSubscriptionId!;

    stripe.server.advanceSubscription(stripeId, { outcome: "paid" });
    await stripe.server.waitForDeliveries();
    expect((await subscriptionCredits(m)).map((c) => c.amount.toFixed(2))).toEqual(["20.00", "20.00"]);
    const renewed = (await ours(m))[0]!;
    expect(renewed.currentPeriodStart?.getTime()).toBe(subscription!.currentPeriodEnd?.getTime());
    const settings = await prisma.billingSettings.findUniqueOrThrow({ where: { mandateId: m.mandateId } });
    expect(settings.storagePeriodStartAt?.getTime()).toBe(renewed.currentPeriodStart?.getTime());

    stripe.server.advanceSubscription(stripeId, { outcome: "failed" });
    await stripe.server.waitForDeliveries();
    expect((await ours(m))[0]!.status).toBe("PAST_DUE");
    expect(await allowed(m)).toBe(true);

    stripe.server.advanceSubscription(stripeId, { outcome: "failed" });
    stripe.server.advanceSubscription(stripeId, { outcome: "failed" });
    await stripe.server.waitForDeliveries();
    expect((await ours(m))[0]!.status).toBe("EXPIRED");
    expect(await allowed(m)).toBe(false);
    expect(await subscriptionCredits(m)).toHaveLength(2);

    // Each step queued its e-mail once; sent (twice over), the owners got one of each.
    const jobs = await emailJobsOf(m);
    for (const job of [...jobs, ...jobs]) await sendMandateEmail(job);
    const mails = await prisma.emailOutbox.findMany({
      where: { mandateId: m.mandateId },
      orderBy: { createdAt: "asc" },
      select: { kind: true, subject: true },
    });
    expect(mails.map((x) => x.kind)).toEqual([
      "subscription-started",
      "subscription-renewed",
      "subscription-payment-failed",
      "subscription-expired",
    ]);
    expect(mails[1]!.subject).toContain("20.00");
  });

  it("cancelling keeps it ACTIVE, not renewing, until the period ends; then EXPIRED", async () => {
    const p = await plan("15.00");
    const m = await createTestMandate();
    const [subscription] = await subscribe(m, p.id);
    await cancelSubscription({ mandateId: m.mandateId, userId: m.ownerId });
    await stripe.server.waitForDeliveries();
    expect((await ours(m))[0]).toMatchObject({ status: "ACTIVE", recurring: false });
    expect(await allowed(m)).toBe(true);

    stripe.server.advanceSubscription(subscription!.stripeSubscriptionId!, {});
    await stripe.server.waitForDeliveries();
    expect((await ours(m))[0]!.status).toBe("EXPIRED");
    expect(await subscriptionCredits(m)).toHaveLength(1);
  });

  it("a plan change is SCHEDULED from the period's end, then ACTIVE with the new plan's budget", async () => {
    const small = await plan("10.00");
    const large = await plan("60.00");
    const m = await createTestMandate();
    const [first] = await subscribe(m, small.id);
    const { checkoutUrl } = await startPlanCheckout({
      mandateId: m.mandateId,
      planId: large.id,
      userId: m.ownerId,
      origin: "http://app.test",
    });
    expect(checkoutUrl).toContain("change=scheduled");
    await stripe.server.waitForDeliveries();
    const waiting = (await ours(m)).find((s) => s.planId === large.id)!;
    expect(waiting).toMatchObject({ status: "SCHEDULED" });
    expect(waiting.effectiveFrom?.getTime()).toBe(first!.currentPeriodEnd?.getTime());
    expect((await ours(m)).find((s) => s.id === first!.id)).toMatchObject({ status: "ACTIVE", recurring: false });

    stripe.server.advanceSubscription(first!.stripeSubscriptionId!, { outcome: "paid" });
    await stripe.server.waitForDeliveries();
    const after = await ours(m);
    expect(Object.fromEntries(after.map((s) => [s.planId, s.status]))).toEqual({
      [small.id]: "EXPIRED",
      [large.id]: "ACTIVE",
    });
    expect(after.find((s) => s.planId === large.id)!.stripeSubscriptionId).toBe(first!.stripeSubscriptionId);
    expect((await subscriptionCredits(m)).map((c) => c.amount.toFixed(2))).toEqual(["10.00", "60.00"]);
  });
});
