import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import type { UsageResponse } from "@/lib/api/routes/billing";
import { getReservation } from "@/testing/reservations";
import { createTestMandate, createTestUser } from "@/testing/test-factories";
import { reconcileAccount } from "@/lib/ledger/accounts";
import { listTransactions } from "@/lib/ledger/list-transactions";
import { type ApiErrorBody, apiClient, createTestApiKey, mandateWithApiClient } from "@/testing/api-client";
import { appServerForThisFile } from "@/testing/app-server";
import { sampleUsageEvent } from "@/testing/sample-usage-event";

const app = appServerForThisFile();

const PATH = "/api/v1/billing/usage";
const CHECK = "/api/v1/billing/check";

const setup = (balance?: string) => mandateWithApiClient(app.baseUrl, balance);

/** Transactions on the pool besides the initial credit. */
async function debits(poolAccountId: string): Promise<number> {
  return (await reconcileAccount(poolAccountId)).count - 1;
}

describe("POST /api/v1/billing/usage", () => {
  it("201 books the debit on pool and audit account; a retry is 200, replayed, one transaction", async () => {
    const { m, api } = await setup("1");
    const event = sampleUsageEvent(m.mandateId, { userId: m.memberId, amount: "0.25", processingTime: 1.5 });
    const first = await api.post<UsageResponse>(PATH, event);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      transactionId: expect.any(String),
      mandateId: m.mandateId,
      amount: "0.250000",
      providerCost: null,
      balanceAfter: "0.750000",
      replayed: false,
      auditTransactionId: expect.any(String),
    });
    const again = await api.post<UsageResponse>(PATH, event);
    expect(again).toEqual({ status: 200, body: { ...first.body, replayed: true } });
    expect(await debits(m.poolAccountId)).toBe(1);
    const [tx] = (await listTransactions({ mandateId: m.mandateId, type: "DEBIT" })).items;
    expect(tx).toMatchObject({
      id: first.body.transactionId,
      referenceType: "WORKFLOW",
      createdByUserId: m.memberId,
      processingTime: "1.500",
    });
  });

  it("prices providerCost with the 50% default markup and stores both", async () => {
    const { m, api } = await setup("1");
    const res = await api.post<UsageResponse>(
      PATH,
      sampleUsageEvent(m.mandateId, { amount: undefined, providerCost: "0.000010" }),
    );
    expect(res).toMatchObject({ status: 201, body: { amount: "0.000015", providerCost: "0.000010" } });
    expect(await reconcileAccount(m.poolAccountId)).toMatchObject({ balance: "0.999985", count: 2 });
  });

  it("captures the reservation of the check; a second usage on it is booked, capturing nothing", async () => {
    const { m, api } = await setup("5");
    const check = await api.post<{ reservationId: string }>(CHECK, {
      mandateId: m.mandateId,
      estimatedCost: "2",
      reserve: true,
    });
    const { reservationId } = check.body;
    const used = await api.post<UsageResponse>(PATH, sampleUsageEvent(m.mandateId, { reservationId, amount: "2.5" }));
    expect(used).toMatchObject({ status: 201, body: { balanceAfter: "2.500000" } });
    expect(await getReservation(m.mandateId, reservationId)).toMatchObject({
      status: "CAPTURED",
      transactionId: used.body.transactionId,
    });
    // The call happened: its debit is never lost (the transaction notes the settled hold).
    const twice = await api.post<UsageResponse>(PATH, sampleUsageEvent(m.mandateId, { reservationId }));
    expect(twice.status).toBe(201);
    expect(await getReservation(m.mandateId, reservationId)).toMatchObject({ transactionId: used.body.transactionId });
    expect(await debits(m.poolAccountId)).toBe(2);
  });

  it("another mandate's reservation is not captured (the debit is booked); 404 for an unknown mandate", async () => {
    const a = await setup();
    const b = await setup();
    const check = await a.api.post<{ reservationId: string }>(CHECK, {
      mandateId: a.m.mandateId,
      estimatedCost: "1",
      reserve: true,
    });
    const res = await b.api.post<UsageResponse>(
      PATH,
      sampleUsageEvent(b.m.mandateId, { reservationId: check.body.reservationId }),
    );
    expect(res.status).toBe(201);
    expect(await debits(b.m.poolAccountId)).toBe(1);
    expect((await getReservation(a.m.mandateId, check.body.reservationId)).status).toBe("OPEN");
    const platform = apiClient(app.baseUrl, await createTestApiKey(null));
    expect(await platform.post<ApiErrorBody>(PATH, sampleUsageEvent(randomUUID()))).toMatchObject({
      status: 404,
      body: { error: { code: "NOT_FOUND" } },
    });
  });

  it("409 for an idempotency key reused with another payload; the first booking stands", async () => {
    const { m, api } = await setup("1");
    const event = sampleUsageEvent(m.mandateId, { amount: "0.1" });
    expect((await api.post(PATH, event)).status).toBe(201);
    const res = await api.post<ApiErrorBody>(PATH, { ...event, amount: "0.2" });
    expect(res).toMatchObject({ status: 409, body: { error: { code: "IDEMPOTENCY_CONFLICT" } } });
    expect(await reconcileAccount(m.poolAccountId)).toMatchObject({ balance: "0.900000", count: 2 });
  });

  it("a user who is not a member: booked on the pool only, not attributed", async () => {
    const { m, api } = await setup("1");
    const res = await api.post<UsageResponse>(PATH, sampleUsageEvent(m.mandateId, { userId: await createTestUser() }));
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty("auditTransactionId");
    expect(await debits(m.poolAccountId)).toBe(1);
  });

  it.each([
    ["a negative amount", { amount: "-1" }, "amount"],
    ["a zero amount", { amount: "0" }, "amount"],
    ["a zero provider cost", { amount: undefined, providerCost: "0.000000" }, "providerCost"],
    ["NaN", { amount: "NaN" }, "amount"],
    ["an exponent", { amount: "1e3" }, "amount"],
    ["seven decimals", { amount: "0.0000001" }, "amount"],
    ["a huge amount", { amount: "1000000001" }, "amount"],
    ["an amount as a JSON number", { amount: 0.1 }, "amount"],
    ["both amount and providerCost", { providerCost: "0.1" }, "amount"],
    ["neither amount nor providerCost", { amount: undefined }, "amount"],
    ["a malformed reservation id", { reservationId: "abc" }, "reservationId"],
    ["a malformed mandate id", { mandateId: "0000" }, "mandateId"],
    ["an unknown provider form", { provider: "Open AI" }, "provider"],
    ["processingTime with 4 decimals", { processingTime: "1.2345" }, "processingTime"],
    ["processingTime as a number with 4 decimals", { processingTime: 1.2345 }, "processingTime"],
    ["negative bytes", { bytesSent: -1 }, "bytesSent"],
    ["a fractional error count", { errorCount: 0.5 }, "errorCount"],
    ["a missing model", { model: undefined }, "model"],
    ["a non-ISO occurredAt", { occurredAt: "yesterday" }, "occurredAt"],
    ["an empty idempotency key", { idempotencyKey: "" }, "idempotencyKey"],
  ])("400 for %s, with the field path; nothing booked", async (_name, fields, path) => {
    const { m, api } = await setup("1");
    const res = await api.post<ApiErrorBody>(PATH, sampleUsageEvent(m.mandateId, fields));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.details?.map((d) => d.path)).toContain(path);
    expect(await debits(m.poolAccountId)).toBe(0);
  });

  it("400 for an unknown field", async () => {
    const { m, api } = await setup("1");
    const res = await api.post<ApiErrorBody>(PATH, sampleUsageEvent(m.mandateId, { price: "1" }));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ message: expect.stringContaining("price") })]);
    expect(await debits(m.poolAccountId)).toBe(0);
  });

  it("401 without, with an unknown and with a revoked key; 403 with another mandate's key", async () => {
    const { m } = await setup("1");
    const other = await createTestMandate();
    const revoked = await createApiKey({ name: "revoked", mandateId: m.mandateId });
    await revokeApiKey(revoked.id);
    for (const key of [null, "bk_nope", revoked.key]) {
      const res = await apiClient(app.baseUrl, key).post<ApiErrorBody>(PATH, sampleUsageEvent(m.mandateId));
      expect(res).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    }
    const foreign = apiClient(app.baseUrl, await createTestApiKey(other.mandateId));
    expect(await foreign.post<ApiErrorBody>(PATH, sampleUsageEvent(m.mandateId))).toMatchObject({
      status: 403,
      body: { error: { code: "FORBIDDEN" } },
    });
    expect(await debits(m.poolAccountId)).toBe(0);
  });

  it("413 for a body over 2 MiB, 415 for another content type; nothing booked", async () => {
    const { m, api } = await setup("1");
    const big = JSON.stringify(sampleUsageEvent(m.mandateId, { model: "m".repeat(2 * 1024 * 1024 + 1) }));
    expect(await api.post<ApiErrorBody>(PATH, big)).toMatchObject({
      status: 413,
      body: { error: { code: "PAYLOAD_TOO_LARGE" } },
    });
    const form = await api.post<ApiErrorBody>(PATH, JSON.stringify(sampleUsageEvent(m.mandateId)), {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(form).toMatchObject({ status: 415, body: { error: { code: "UNSUPPORTED_MEDIA_TYPE" } } });
    expect(await debits(m.poolAccountId)).toBe(0);
  });
});
