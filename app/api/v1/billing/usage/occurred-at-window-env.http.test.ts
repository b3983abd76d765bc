import { beforeAll, describe, expect, it } from "vitest";
import type { UsageBatchResponse, UsageResponse } from "@/lib/api/routes/billing";
import { reconcileAccount } from "@/lib/ledger/accounts";
import { type ApiErrorBody, mandateWithApiClient } from "@/testing/api-client";
import { appServerForThisFile } from "@/testing/app-server";
import { sampleUsageEvent } from "@/testing/sample-usage-event";

/**
 * The occurredAt window comes from the environment: this file's server runs with one hour back
 * and 30 seconds ahead, where the defaults would accept everything below.
 */
const saved = {
  age: process.env.USAGE_OCCURRED_AT_MAX_AGE_HOURS,
  ahead: process.env.USAGE_OCCURRED_AT_MAX_AHEAD_SECONDS,
};
// Hooks run in order: the environment is set for the server's start only.
beforeAll(() => {
  process.env.USAGE_OCCURRED_AT_MAX_AGE_HOURS = "1";
  process.env.USAGE_OCCURRED_AT_MAX_AHEAD_SECONDS = "30";
});
const app = appServerForThisFile();
beforeAll(() => {
  for (const [name, value] of [
    ["USAGE_OCCURRED_AT_MAX_AGE_HOURS", saved.age],
    ["USAGE_OCCURRED_AT_MAX_AHEAD_SECONDS", saved.ahead],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const MINUTE = 60_000;
const from = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

describe("USAGE_OCCURRED_AT_MAX_AGE_HOURS and USAGE_OCCURRED_AT_MAX_AHEAD_SECONDS", () => {
  it("narrow the window of the usage routes", async () => {
    const { m, api } = await mandateWithApiClient(app.baseUrl, "1");
    const post = (offset: number, amount = "0.1") =>
      api.post<UsageResponse & ApiErrorBody>("/api/v1/billing/usage", {
        ...sampleUsageEvent(m.mandateId, { amount }),
        occurredAt: from(offset),
      });
    for (const offset of [-2 * 60 * MINUTE, 2 * MINUTE]) {
      const refused = await post(offset);
      expect(refused.status, String(offset)).toBe(400);
      expect(refused.body.error.code).toBe("OCCURRED_AT_OUT_OF_WINDOW");
    }
    expect((await post(-30 * MINUTE, "0.25")).status).toBe(201);

    const batch = await api.post<UsageBatchResponse>("/api/v1/billing/usage/batch", {
      events: [
        { ...sampleUsageEvent(m.mandateId, { amount: "0.5" }), occurredAt: from(-2 * 60 * MINUTE) },
        { ...sampleUsageEvent(m.mandateId, { amount: "0.125" }), occurredAt: from(-10 * MINUTE) },
      ],
    });
    expect(batch.body.results.map((r) => r.error?.code ?? r.status)).toEqual(["OCCURRED_AT_OUT_OF_WINDOW", "booked"]);
    expect(await reconcileAccount(m.poolAccountId)).toMatchObject({ balance: "0.625000", count: 3 });
  });
});
