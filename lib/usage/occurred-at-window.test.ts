import { describe, expect, it } from "vitest";
import { isDomainError } from "@/lib/errors";
import { reconcileAccount } from "@/lib/ledger/accounts";
import { sampleUsageInput } from "@/testing/sample-usage-event";
import { createTestMandate } from "@/testing/test-factories";
import {
  DEFAULT_OCCURRED_AT_WINDOW,
  occurredAtBounds,
  occurredAtRefusal,
  readOccurredAtWindow,
} from "./occurred-at-window";
import { recordUsage } from "./record-usage";
import { recordUsageBatch } from "./record-usage-batch";

const NOW = new Date("2026-12-05T12:00:00.000Z");

describe("readOccurredAtWindow", () => {
  it("defaults to 7 days back and 5 minutes ahead, and reads each bound from the environment", () => {
    expect(readOccurredAtWindow({})).toEqual({ maxAgeHours: 168, maxAheadSeconds: 300 });
    expect(DEFAULT_OCCURRED_AT_WINDOW).toEqual({ maxAgeHours: 168, maxAheadSeconds: 300 });
    expect(
      readOccurredAtWindow({ USAGE_OCCURRED_AT_MAX_AGE_HOURS: "24", USAGE_OCCURRED_AT_MAX_AHEAD_SECONDS: "" }),
    ).toEqual({ maxAgeHours: 24, maxAheadSeconds: 300 });
    expect(readOccurredAtWindow({ USAGE_OCCURRED_AT_MAX_AHEAD_SECONDS: "0" })).toEqual({
      maxAgeHours: 168,
      maxAheadSeconds: 0,
    });
  });

  it.each(["1e3", "-1", "12.5", "abc", " 24", "99999999"])("refuses %j rather than guess", (value) => {
    expect(() => readOccurredAtWindow({ USAGE_OCCURRED_AT_MAX_AGE_HOURS: value })).toThrow(
      /USAGE_OCCURRED_AT_MAX_AGE_HOURS/,
    );
    expect(() => readOccurredAtWindow({ USAGE_OCCURRED_AT_MAX_AHEAD_SECONDS: value })).toThrow(
      /USAGE_OCCURRED_AT_MAX_AHEAD_SECONDS/,
    );
  });
});

describe("occurredAtRefusal", () => {
  const bounds = occurredAtBounds(DEFAULT_OCCURRED_AT_WINDOW, NOW);
  const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

  it("accepts both bounds and no call time at all", () => {
    for (const when of [null, NOW, at(-7 * 86_400_000), at(300_000)]) {
      expect(occurredAtRefusal(when, bounds)).toBeNull();
    }
  });

  it("refuses a millisecond beyond either bound with the field path", () => {
    for (const when of [at(-7 * 86_400_000 - 1), at(300_001)]) {
      const err = occurredAtRefusal(when.toISOString(), bounds);
      expect(isDomainError(err, "OCCURRED_AT_OUT_OF_WINDOW")).toBe(true);
      expect(isDomainError(err) && err.details).toEqual([
        {
          path: "occurredAt",
          message: "must lie between 2026-11-28T12:00:00.000Z and 2026-12-05T12:05:00.000Z",
        },
      ]);
    }
  });
});

describe("recordUsage and recordUsageBatch with an explicit window", () => {
  it("a wider window books what the configured one refuses; the batch rejects only that event; a retry replays", async () => {
    const m = await createTestMandate({ balance: "1" });
    const monthsAgo = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const refused = await recordUsage(sampleUsageInput(m.mandateId, { occurredAt: monthsAgo })).catch(
      (e: unknown) => e,
    );
    expect(isDomainError(refused, "OCCURRED_AT_OUT_OF_WINDOW")).toBe(true);
    const wide = { maxAgeHours: 24 * 365, maxAheadSeconds: 300 };
    const old = sampleUsageInput(m.mandateId, { occurredAt: monthsAgo, amount: "0.5" });
    const booked = await recordUsage(old, { occurredAtWindow: wide });
    expect(booked.balanceAfter).toBe("0.500000");

    const batch = await recordUsageBatch({
      events: [
        sampleUsageInput(m.mandateId, { amount: "0.25", occurredAt: monthsAgo }),
        sampleUsageInput(m.mandateId, { amount: "0.125" }),
      ],
      mayBookFor: () => true,
    });
    expect(batch.results.map((r) => r.error?.code ?? r.status)).toEqual(["OCCURRED_AT_OUT_OF_WINDOW", "booked"]);
    expect(await reconcileAccount(m.poolAccountId)).toMatchObject({ balance: "0.375000", count: 3 });

    // A retry of a booked event is answered as a replay, however late; its key reused with
    // another payload is still the conflict it always was.
    expect(await recordUsage(old)).toEqual({ ...booked, replayed: true });
    const retried = await recordUsageBatch({ events: [old, { ...old, amount: "0.75" }], mayBookFor: () => true });
    expect(retried.results.map((r) => [r.status, r.error?.code ?? r.transactionId])).toEqual([
      ["duplicate", booked.transactionId],
      ["rejected", "IDEMPOTENCY_CONFLICT"],
    ]);
    const conflict = await recordUsage({ ...old, amount: "0.75" }).catch((e: unknown) => e);
    expect(isDomainError(conflict, "IDEMPOTENCY_CONFLICT")).toBe(true);
    expect(await reconcileAccount(m.poolAccountId)).toMatchObject({ balance: "0.375000", count: 3 });
  });
});
