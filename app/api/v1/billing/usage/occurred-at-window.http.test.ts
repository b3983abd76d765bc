import { describe, expect, it } from "vitest";
import type { UsageBatchResponse, UsageResponse } from "@/lib/api/routes/billing";
import { reconcileAccount } from "@/lib/ledger/accounts";
import { type ApiErrorBody, mandateWithApiClient } from "@/testing/api-client";
import { appServerForThisFile } from "@/testing/app-server";
import { sampleUsageEvent } from "@/testing/sample-usage-event";

/**
 * occurredAt is accepted from 7 days back to 5 minutes ahead (the defaults; the environment
 * override is tested in occurred-at-window-env.http.test.ts), so closed months' statistics are
 * not rewritten.
 */
const app = appServerForThisFile();
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

const from = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

describe("the occurredAt window of POST /api/v1/billing/usage", () => {
  it.each([
    ["7 days and 1 second back", -(7 * DAY + SECOND)],
    ["6 minutes ahead", 6 * MINUTE],
    ["a year back", -365 * DAY],
  ])("refuses a call %s with 400 OCCURRED_AT_OUT_OF_WINDOW and books nothing", async (_, offset) => {
    const { m, api } = await mandateWithApiClient(app.baseUrl, "1");
    const res = await api.post<ApiErrorBody>("/api/v1/billing/usage", {
      ...sampleUsageEvent(m.mandateId),
      occurredAt: from(offset),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("OCCURRED_AT_OUT_OF_WINDOW");
    expect(res.body.error.details).toEqual([
      { path: "occurredAt", message: expect.stringMatching(/^must lie between/) },
    ]);
    expect(await reconcileAccount(m.poolAccountId)).toMatchObject({ balance: "1.000000", count: 1 });
  });

  it.each([
    ["4 minutes ahead", 4 * MINUTE],
    ["6 days and 23 hours back", -(7 * DAY - 60 * MINUTE)],
  ])("books a call %s at its call time", async (_, offset) => {
    const { m, api } = await mandateWithApiClient(app.baseUrl, "1");
    const occurredAt = from(offset);
    const res = await api.post<UsageResponse>("/api/v1/billing/usage", {
      ...sampleUsageEvent(m.mandateId, { amount: "0.25" }),
      occurredAt,
    });
    expect(res.status).toBe(201);
    expect(res.body.balanceAfter).toBe("0.750000");
  });
});

describe("the occurredAt window of POST /api/v1/billing/usage/batch", () => {
  it("rejects the out-of-window events alone and books the others", async () => {
    const { m, api } = await mandateWithApiClient(app.baseUrl, "1");
    const events = [
      { ...sampleUsageEvent(m.mandateId, { amount: "0.1" }), occurredAt: from(-DAY) },
      { ...sampleUsageEvent(m.mandateId, { amount: "0.2" }), occurredAt: from(-(7 * DAY + SECOND)) },
      sampleUsageEvent(m.mandateId, { amount: "0.3" }),
      { ...sampleUsageEvent(m.mandateId, { amount: "0.4" }), occurredAt: from(6 * MINUTE) },
      { ...sampleUsageEvent(m.mandateId, { amount: "0.05" }), occurredAt: from(4 * MINUTE) },
    ];
    const res = await api.post<UsageBatchResponse>("/api/v1/billing/usage/batch", { events });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => [r.index, r.status, r.error?.code ?? null])).toEqual([
      [0, "booked", null],
      [1, "rejected", "OCCURRED_AT_OUT_OF_WINDOW"],
      [2, "booked", null],
      [3, "rejected", "OCCURRED_AT_OUT_OF_WINDOW"],
      [4, "booked", null],
    ]);
    expect(res.body.results[1]?.error?.details).toEqual([
      { path: "occurredAt", message: expect.stringMatching(/^must lie between/) },
    ]);
    // 1 - 0.1 - 0.3 - 0.05
    expect(await reconcileAccount(m.poolAccountId)).toMatchObject({ balance: "0.550000", count: 4 });
  });
});
