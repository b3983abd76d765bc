import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "@/lib/http/error-response";
import type { StorageReportResult } from "@/lib/api/routes/storage";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { reconcileAccount } from "@/lib/ledger/accounts";
import { getStorageState } from "@/testing/storage-state";
import { apiClient, createTestApiKey } from "@/testing/api-client";
import { appServerForThisFile } from "@/testing/app-server";
import { businessMonthStart } from "@/lib/stats/business-calendar";

const PATH = "/api/v1/billing/storage";
// November 2025 in Europe/Zurich (UTC+1) starts at 23:00 UTC on 31 October.
const NOV = "2025-10-31T23:00:00.000Z";
const IN_NOV = "2025-11-20T10:00:00.000Z";

const app = appServerForThisFile();

/** A mandate and a platform-wide key: storage is reported by the platform, not the tenant. */
async function mandateWithKey(): Promise<{ m: TestMandate; api: ReturnType<typeof apiClient> }> {
  const m = await createTestMandate({ balance: "10" });
  return { m, api: apiClient(app.baseUrl, await createTestApiKey(null)) };
}

/** Nothing booked and no storage state written for this mandate. */
async function expectUntouched(m: TestMandate): Promise<void> {
  expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "10.000000", sum: "10.000000", count: 1 });
  expect(await getStorageState(m.mandateId)).toMatchObject({ periodStart: null, highWatermarkMB: "0.000000" });
}

describe(`POST ${PATH}`, () => {
  it("debits the overage (201), then books nothing for a repeat (200)", async () => {
    const { m, api } = await mandateWithKey();
    const body = { mandateId: m.mandateId, volumeMB: "2048", reportedAt: IN_NOV };
    const first = await api.post<StorageReportResult>(PATH, { ...body, idempotencyKey: "report-1" });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      mandateId: m.mandateId,
      periodStart: NOV,
      volumeMB: "2048.000000",
      highWatermarkMB: "2048.000000",
      includedMB: "1024.000000",
      billedUpToMB: "1024.000000",
      debitedAmount: "0.500000",
      transactionId: expect.any(String) as string,
      balanceAfter: "9.500000",
    });
    const again = await api.post<StorageReportResult>(PATH, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ debitedAmount: "0.000000", transactionId: null, balanceAfter: "9.500000" });
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "9.500000", sum: "9.500000", count: 2 });
  });

  it("takes the period from reportedAt (calendar month in Europe/Zurich), never from the caller", async () => {
    const { m, api } = await mandateWithKey();
    const reportedAt = new Date();
    const res = await api.post<StorageReportResult>(PATH, {
      mandateId: m.mandateId,
      volumeMB: "10",
      reportedAt: reportedAt.toISOString(),
      // Not part of the request any more: a caller's period is not taken.
      periodStart: "2020-01-01T00:00:00Z",
    });
    expect(res.status).toBe(200);
    expect(res.body.periodStart).toBe(businessMonthStart(reportedAt).toISOString());
  });

  it("refuses a report for an older period with 409 STALE_STORAGE_PERIOD", async () => {
    const { m, api } = await mandateWithKey();
    const dec = { mandateId: m.mandateId, volumeMB: "2048" };
    expect((await api.post(PATH, { ...dec, reportedAt: "2025-12-02T00:00:00Z" })).status).toBe(201);
    const stale = await api.post<ErrorBody>(PATH, { ...dec, volumeMB: "4096", reportedAt: IN_NOV });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("STALE_STORAGE_PERIOD");
    expect((await reconcileAccount(m.poolAccountId)).balance).toBe("9.500000");
  });

  it.each([
    ["a negative volume", { volumeMB: "-1" }, "volumeMB"],
    ["NaN", { volumeMB: "NaN" }, "volumeMB"],
    ["an over-precise volume", { volumeMB: "1.0000001" }, "volumeMB"],
    ["a JSON number", { volumeMB: 2048 }, "volumeMB"],
    ["a malformed mandate id", { mandateId: "not-a-uuid" }, "mandateId"],
    ["a malformed reportedAt", { reportedAt: "November" }, "reportedAt"],
  ])("400 for %s, with the field path, nothing booked", async (_, override, path) => {
    const { m, api } = await mandateWithKey();
    const res = await api.post<ErrorBody>(PATH, { mandateId: m.mandateId, volumeMB: "4096", ...override });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    await expectUntouched(m);
  });

  it("401 without a key or with an unknown one, nothing booked", async () => {
    const { m } = await mandateWithKey();
    const body = { mandateId: m.mandateId, volumeMB: "4096" };
    for (const key of [null, "bk_unknown"]) {
      const res = await apiClient(app.baseUrl, key).post<ErrorBody>(PATH, body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
    }
    await expectUntouched(m);
  });

  it("403 for a mandate's own key and for another mandate's: only the platform reports storage", async () => {
    const { m } = await mandateWithKey();
    const other = await createTestMandate();
    for (const mandateId of [m.mandateId, other.mandateId]) {
      const tenant = apiClient(app.baseUrl, await createTestApiKey(mandateId));
      const res = await tenant.post<ErrorBody>(PATH, { mandateId: m.mandateId, volumeMB: "4096" });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
    }
    await expectUntouched(m);
  });

  it("404 for an unknown mandate", async () => {
    const api = apiClient(app.baseUrl, await createTestApiKey(null));
    const res = await api.post<ErrorBody>(PATH, { mandateId: randomUUID(), volumeMB: "4096" });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
  });

  it("415 for a body that is not JSON, nothing booked", async () => {
    const { m, api } = await mandateWithKey();
    const body = JSON.stringify({ mandateId: m.mandateId, volumeMB: "4096" });
    const res = await api.post<ErrorBody>(PATH, body, { "content-type": "text/plain" });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    await expectUntouched(m);
  });
});
