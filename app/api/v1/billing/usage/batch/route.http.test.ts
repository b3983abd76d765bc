import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTestMandate, createTestUser } from "@/testing/test-factories";
import type { UsageBatchResponse } from "@/lib/api/routes/billing";
import { reconcileAccount } from "@/lib/ledger/accounts";
import { listTransactions } from "@/lib/ledger/list-transactions";
import { type ApiErrorBody, apiClient, createTestApiKey } from "@/testing/api-client";
import { appServerForThisFile } from "@/testing/app-server";
import { sampleUsageEvent } from "@/testing/sample-usage-event";

const app = appServerForThisFile();

const PATH = "/api/v1/billing/usage/batch";

async function expectBalance(accountId: string, balance: string, count: number): Promise<void> {
  expect(await reconcileAccount(accountId)).toEqual({ balance, sum: balance, count });
}

describe("POST /api/v1/billing/usage/batch", () => {
  it("books the good events of a mixed batch and rejects each bad one with its own error", async () => {
    const m = await createTestMandate({ balance: "10" });
    const other = await createTestMandate({ balance: "10" });
    const api = apiClient(app.baseUrl, await createTestApiKey(m.mandateId));
    const repeated = sampleUsageEvent(m.mandateId, { amount: "0.5", userId: m.adminId });
    const events = [
      sampleUsageEvent(m.mandateId, { amount: "1" }),
      repeated,
      repeated,
      sampleUsageEvent(m.mandateId, { amount: "-1" }),
      sampleUsageEvent(other.mandateId), // the key covers only m
      sampleUsageEvent(m.mandateId, { amount: "0.1", userId: await createTestUser() }), // booked, not attributed
      sampleUsageEvent(m.mandateId, { amount: undefined, providerCost: "0.2" }),
      { ...repeated, amount: "0.7" },
      42,
    ];
    const res = await api.post<UsageBatchResponse>(PATH, { events });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => [r.index, r.status, r.error?.code ?? null])).toEqual([
      [0, "booked", null],
      [1, "booked", null],
      [2, "duplicate", null],
      [3, "rejected", "VALIDATION_FAILED"],
      [4, "rejected", "FORBIDDEN"],
      [5, "booked", null],
      [6, "booked", null],
      [7, "rejected", "IDEMPOTENCY_CONFLICT"],
      [8, "rejected", "VALIDATION_FAILED"],
    ]);
    expect(res.body).toMatchObject({ booked: 4, duplicates: 1, rejected: 4 });
    expect(res.body.results[2]?.transactionId).toBe(res.body.results[1]?.transactionId);
    expect(res.body.results[3]?.error?.details).toEqual([expect.objectContaining({ path: "amount" })]);
    // 10 - 1 - 0.5 - 0.1 - 0.3
    await expectBalance(m.poolAccountId, "8.100000", 5);
    await expectBalance(other.poolAccountId, "10.000000", 1);

    // Sent again: all duplicates or the same rejections, nothing more booked.
    const again = await api.post<UsageBatchResponse>(PATH, { events });
    expect(again.body).toMatchObject({ booked: 0, duplicates: 5, rejected: 4 });
    await expectBalance(m.poolAccountId, "8.100000", 5);
  });

  it("a platform-wide key books events of several mandates in one batch", async () => {
    const a = await createTestMandate({ balance: "1" });
    const b = await createTestMandate({ balance: "1" });
    const api = apiClient(app.baseUrl, await createTestApiKey(null));
    const events = Array.from({ length: 1000 }, (_, i) =>
      sampleUsageEvent(i % 2 ? a.mandateId : b.mandateId, { amount: "0.001", userId: i % 2 ? a.memberId : null }),
    );
    const res = await api.post<UsageBatchResponse>(PATH, { events });
    expect(res.body).toMatchObject({ booked: 1000, duplicates: 0, rejected: 0 });
    await expectBalance(a.poolAccountId, "0.500000", 501);
    await expectBalance(b.poolAccountId, "0.500000", 501);
    // balance_after runs in batch order: the last event (index 999, mandate a) leaves 0.5.
    const { items } = await listTransactions({ mandateId: a.mandateId, userId: a.memberId, limit: 500 });
    expect(items).toHaveLength(500);
    expect(items.find((t) => t.id === res.body.results[999]?.transactionId)?.balanceAfter).toBe("0.500000");
  });

  it.each([
    ["events missing", {}],
    ["events not an array", { events: { 0: {} } }],
    ["no events", { events: [] }],
    ["more than 1000 events", { events: Array.from({ length: 1001 }, () => ({})) }],
    ["an unknown field", { events: [{}], dryRun: true }],
  ])("400 for the whole request with %s; nothing booked", async (_name, body) => {
    const m = await createTestMandate({ balance: "1" });
    const api = apiClient(app.baseUrl, await createTestApiKey(m.mandateId));
    const withEvent =
      "events" in body && Array.isArray(body.events) && body.events.length > 0
        ? { ...body, events: body.events.map(() => sampleUsageEvent(m.mandateId)) }
        : body;
    const res = await api.post<ApiErrorBody>(PATH, withEvent);
    expect(res).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    await expectBalance(m.poolAccountId, "1.000000", 1);
  });

  it("401 without a valid key, 413 over 2 MiB, 415 for another content type; nothing booked", async () => {
    const m = await createTestMandate({ balance: "1" });
    const body = { events: [sampleUsageEvent(m.mandateId)] };
    for (const key of [null, "bk_wrong"]) {
      expect(await apiClient(app.baseUrl, key).post<ApiErrorBody>(PATH, body)).toMatchObject({
        status: 401,
        body: { error: { code: "UNAUTHENTICATED" } },
      });
    }
    const api = apiClient(app.baseUrl, await createTestApiKey(m.mandateId));
    const big = {
      events: Array.from({ length: 1000 }, () => sampleUsageEvent(m.mandateId, { model: "m".repeat(2200) })),
    };
    expect(await api.post<ApiErrorBody>(PATH, big)).toMatchObject({
      status: 413,
      body: { error: { code: "PAYLOAD_TOO_LARGE" } },
    });
    expect(await api.post<ApiErrorBody>(PATH, JSON.stringify(body), { "content-type": "text/json" })).toMatchObject({
      status: 415,
    });
    expect(await api.post<ApiErrorBody>(PATH, "[1,")).toMatchObject({
      status: 400,
      body: { error: { code: "INVALID_JSON" } },
    });
    await expectBalance(m.poolAccountId, "1.000000", 1);
  });

  it("an event naming an unknown mandate is rejected alone (NOT_FOUND)", async () => {
    const m = await createTestMandate({ balance: "1" });
    const api = apiClient(app.baseUrl, await createTestApiKey(null));
    const res = await api.post<UsageBatchResponse>(PATH, {
      events: [sampleUsageEvent(randomUUID()), sampleUsageEvent(m.mandateId)],
    });
    expect(res.body.results.map((r) => r.error?.code ?? r.status)).toEqual(["NOT_FOUND", "booked"]);
    await expectBalance(m.poolAccountId, "0.900000", 2);
  });
});
