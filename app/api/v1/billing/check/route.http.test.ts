import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import type { BillingCheckResponse } from "@/lib/api/routes/billing";
import { getReservation, listReservations } from "@/testing/reservations";
import { createTestMandate } from "@/testing/test-factories";
import { type ApiErrorBody, apiClient, createTestApiKey, mandateWithApiClient } from "@/testing/api-client";
import { appServerForThisFile } from "@/testing/app-server";
import { waitUntil } from "@/testing/wait-until";

const app = appServerForThisFile();

const PATH = "/api/v1/billing/check";

const setup = (balance?: string) => mandateWithApiClient(app.baseUrl, balance);

const heldBy = async (mandateId: string) => (await listReservations(mandateId)).length;

describe("POST /api/v1/billing/check", () => {
  it("answers allowed, and with reserve holds the amount and returns the reservation", async () => {
    const { m, api } = await setup("2");
    const plain = await api.post<BillingCheckResponse>(PATH, {
      mandateId: m.mandateId,
      userId: m.memberId,
      estimatedCost: "1.5",
    });
    expect(plain).toEqual({
      status: 200,
      body: {
        allowed: true,
        reason: null,
        message: null,
        currentBalance: "2.000000",
        requiredAmount: null,
        upgradeRequired: false,
        subscriptionUiPath: null,
        userAction: null,
      },
    });

    const reserved = await api.post<BillingCheckResponse>(PATH, {
      mandateId: m.mandateId,
      estimatedCost: "1.5",
      reserve: true,
      reservationTtlSeconds: 60,
    });
    expect(reserved.status).toBe(200);
    expect(reserved.body).toMatchObject({ allowed: true, replayed: false });
    expect(Date.parse(reserved.body.reservationExpiresAt ?? "")).toBeGreaterThan(Date.now() + 50_000);
    const row = await getReservation(m.mandateId, reserved.body.reservationId ?? "");
    expect([row.status, row.amount]).toEqual(["OPEN", "1.500000"]);

    const refused = await api.post<BillingCheckResponse>(PATH, {
      mandateId: m.mandateId,
      userId: m.memberId,
      estimatedCost: "1",
      locale: "de",
    });
    expect(refused).toMatchObject({
      status: 200,
      body: {
        allowed: false,
        reason: "INSUFFICIENT_BALANCE",
        requiredAmount: "0.500000",
        userAction: "CONTACT_MANDATE_ADMIN",
        message: "Das AI-Guthaben dieses Mandanten reicht für diese Anfrage nicht aus.",
      },
    });
  });

  it("100 concurrent reserving checks never hold more than the balance covers", async () => {
    const { m, api } = await setup("5");
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        api.post<BillingCheckResponse>(PATH, { mandateId: m.mandateId, estimatedCost: "1", reserve: true }),
      ),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(responses.filter((r) => r.body.allowed)).toHaveLength(5);
    expect(await heldBy(m.mandateId)).toBe(5);
  });

  it("the running server labels an expired reservation EXPIRED by itself (instrumentation's sweep)", async () => {
    const { m, api } = await setup("5");
    const reserved = await api.post<BillingCheckResponse>(PATH, {
      mandateId: m.mandateId,
      estimatedCost: "1",
      reserve: true,
      reservationTtlSeconds: 1,
    });
    expect(reserved.body).toMatchObject({ allowed: true });
    const id = reserved.body.reservationId ?? "";
    // Nothing in this test sweeps: only a running server's sweep (instrumentation's, every second)
    // can write the label.
    await waitUntil(
      "a server's sweep labels the reservation",
      async () => (await getReservation(m.mandateId, id)).status !== "OPEN",
    );
    const swept = await getReservation(m.mandateId, id);
    expect(swept.status).toBe("EXPIRED");
    expect(swept.settledAt).toEqual(swept.expiresAt);
  });

  it("a retried reserving check returns the same reservation; another amount under its key is 409", async () => {
    const { m, api } = await setup("1");
    const body = { mandateId: m.mandateId, estimatedCost: "0.6", reserve: true, idempotencyKey: randomUUID() };
    const first = await api.post<BillingCheckResponse>(PATH, body);
    const again = await api.post<BillingCheckResponse>(PATH, body);
    expect(again.body).toMatchObject({ allowed: true, replayed: true, reservationId: first.body.reservationId });
    const conflict = await api.post<ApiErrorBody>(PATH, { ...body, estimatedCost: "0.3" });
    expect(conflict).toMatchObject({ status: 409, body: { error: { code: "IDEMPOTENCY_CONFLICT" } } });
    expect(await heldBy(m.mandateId)).toBe(1);
  });

  it.each([
    ["a negative amount", { estimatedCost: "-1" }, "estimatedCost"],
    ["NaN", { estimatedCost: "NaN" }, "estimatedCost"],
    ["an exponent", { estimatedCost: "1e3" }, "estimatedCost"],
    ["seven decimals", { estimatedCost: "0.0000001" }, "estimatedCost"],
    ["more than the booking maximum", { estimatedCost: "1000000000.000001" }, "estimatedCost"],
    ["a JSON number", { estimatedCost: 1 }, "estimatedCost"],
    ["an unknown locale", { estimatedCost: "1", locale: "fr" }, "locale"],
    ["a malformed user id", { estimatedCost: "1", userId: "not-a-uuid" }, "userId"],
    ["a TTL out of range", { estimatedCost: "1", reserve: true, reservationTtlSeconds: 3601 }, "reservationTtlSeconds"],
  ])("400 for %s, with the field path, and holds nothing", async (_name, fields, path) => {
    const { m, api } = await setup();
    const res = await api.post<ApiErrorBody>(PATH, { mandateId: m.mandateId, reserve: true, ...fields });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.details?.map((d) => d.path)).toContain(path);
    expect(await heldBy(m.mandateId)).toBe(0);
  });

  it("400 for an unknown field, naming it", async () => {
    const { m, api } = await setup();
    const res = await api.post<ApiErrorBody>(PATH, { mandateId: m.mandateId, estimatedCost: "1", reserved: true });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ message: expect.stringContaining("reserved") })]);
  });

  it("400 for a malformed mandate id and for broken JSON", async () => {
    const { api } = await setup();
    const res = await api.post<ApiErrorBody>(PATH, { mandateId: "123", estimatedCost: "1" });
    expect(res.status).toBe(400);
    expect(res.body.error.details?.map((d) => d.path)).toEqual(["mandateId"]);
    expect(await api.post<ApiErrorBody>(PATH, '{"mandateId": ')).toMatchObject({
      status: 400,
      body: { error: { code: "INVALID_JSON" } },
    });
  });

  it("401 without a key, with an unknown key and with a revoked key", async () => {
    const m = await createTestMandate({ balance: "1" });
    const body = { mandateId: m.mandateId, estimatedCost: "1", reserve: true };
    const revoked = await createApiKey({ name: "revoked", mandateId: m.mandateId });
    await revokeApiKey(revoked.id);
    for (const key of [null, "bk_unknown", `${revoked.key.slice(0, -1)}x`, revoked.key]) {
      const res = await apiClient(app.baseUrl, key).post<ApiErrorBody>(PATH, body);
      expect(res).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    }
    expect(await heldBy(m.mandateId)).toBe(0);
  });

  it("403 for a key of another mandate; 404 for an unknown mandate", async () => {
    const a = await setup();
    const b = await createTestMandate({ balance: "1" });
    const res = await a.api.post<ApiErrorBody>(PATH, { mandateId: b.mandateId, estimatedCost: "1", reserve: true });
    expect(res).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    expect(await heldBy(b.mandateId)).toBe(0);

    const platform = apiClient(app.baseUrl, await createTestApiKey(null));
    const unknown = await platform.post<ApiErrorBody>(PATH, { mandateId: randomUUID(), estimatedCost: "1" });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
    expect(
      (await platform.post<BillingCheckResponse>(PATH, { mandateId: b.mandateId, estimatedCost: "1" })).body.allowed,
    ).toBe(true);
  });

  it("413 for a body over 2 MiB and 415 for another content type", async () => {
    const { m, api } = await setup();
    const big = JSON.stringify({ mandateId: m.mandateId, estimatedCost: "1", pad: "x".repeat(2 * 1024 * 1024) });
    expect(await api.post<ApiErrorBody>(PATH, big)).toMatchObject({
      status: 413,
      body: { error: { code: "PAYLOAD_TOO_LARGE" } },
    });
    const text = await api.post<ApiErrorBody>(PATH, JSON.stringify({ mandateId: m.mandateId, estimatedCost: "1" }), {
      "content-type": "text/plain",
    });
    expect(text).toMatchObject({ status: 415, body: { error: { code: "UNSUPPORTED_MEDIA_TYPE" } } });
    expect(await heldBy(m.mandateId)).toBe(0);
  });
});
