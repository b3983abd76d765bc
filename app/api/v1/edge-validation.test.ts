import { beforeAll, describe, expect, it } from "vitest";
import { POST as check } from "@/app/api/v1/billing/check/route";
import { POST as storage } from "@/app/api/v1/billing/storage/route";
import { POST as usageBatch } from "@/app/api/v1/billing/usage/batch/route";
import { POST as usage } from "@/app/api/v1/billing/usage/route";
import { GET as transactions } from "@/app/api/v1/mandates/[mandateId]/transactions/route";
import type { UsageBatchResponse } from "@/lib/api/routes/billing";
import type { ApiErrorBody } from "@/testing/api-client";
import { createTestApiKey } from "@/testing/api-client";
import { countBookings } from "@/testing/booking-counts";
import { sampleUsageEvent } from "@/testing/sample-usage-event";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";

/**
 * Input that JavaScript takes but PostgreSQL or decimal.js cannot: refused at the edge with 400
 * and the field's path, never a 500, and nothing booked. The handlers are called directly.
 */
const BAD_TEXT = { nul: "gpt\u00004o", control: "gpt\u001b4o", loneSurrogate: "gpt\ud8004o" };
const BAD_DATES = {
  year0: "0000-06-01T00:00:00Z",
  year10000: "9999-12-31T23:59:59-23:59",
  extremeOffset: "2026-11-15T08:00:00+18:00",
  before2000: "1999-12-31T23:00:00Z",
};
const BAD_MONEY = ["abc", "", " 1", "1,5", "1e5", "NaN"];

let m: TestMandate;
let key: string;
let platformKey: string;
beforeAll(async () => {
  m = await createTestMandate({ balance: "100" });
  key = await createTestApiKey(m.mandateId);
  platformKey = await createTestApiKey(null);
});

const noParams = { params: Promise.resolve({}) };

function post(path: string, body: unknown): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function expect400(res: Response, path: string): Promise<void> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as ApiErrorBody;
  expect(body.error.code).toBe("VALIDATION_FAILED");
  expect(body.error.details?.map((d) => d.path)).toContain(path);
}

const booked = () => countBookings(m.mandateId);

describe("usage: text, dates and money refused at the edge", () => {
  it.each([
    ...Object.entries(BAD_TEXT).flatMap(([name, value]) =>
      ["model", "featureCode", "workflowId", "featureInstanceId"].map((field) => [`${field} ${name}`, field, value]),
    ),
    ...Object.entries(BAD_DATES).map(([name, value]) => [`occurredAt ${name}`, "occurredAt", value]),
    ...BAD_MONEY.map((value) => [`amount ${JSON.stringify(value)}`, "amount", value]),
  ])("%s → 400 with the field path, nothing booked", async (_name, field, value) => {
    const before = await booked();
    await expect400(
      await usage(post("/api/v1/billing/usage", sampleUsageEvent(m.mandateId, { [field]: value })), noParams),
      field,
    );
    expect(await booked()).toEqual(before);
  });
});

describe("billing check, storage and the transaction list", () => {
  it.each(BAD_MONEY)("check: estimatedCost %j → 400, no reservation", async (value) => {
    const req = post("/api/v1/billing/check", { mandateId: m.mandateId, estimatedCost: value, reserve: true });
    await expect400(await check(req, noParams), "estimatedCost");
    expect((await countBookings(m.mandateId)).reservations).toBe(0);
  });

  it.each(Object.entries(BAD_DATES))("storage (platform key): reportedAt %s → 400", async (_name, value) => {
    const before = await booked();
    const req = new Request("http://localhost/api/v1/billing/storage", {
      method: "POST",
      headers: { authorization: `Bearer ${platformKey}`, "content-type": "application/json" },
      body: JSON.stringify({ mandateId: m.mandateId, volumeMB: "999999", reportedAt: value }),
    });
    await expect400(await storage(req, noParams), "reportedAt");
    expect(await booked()).toEqual(before);
  });

  it.each([
    ...Object.entries(BAD_DATES).flatMap(([name, value]) => [
      [`from ${name}`, "from", value],
      [`to ${name}`, "to", value],
    ]),
    // A URL carries no unpaired surrogate (it arrives as U+FFFD), so only control characters here.
    ["model with NUL", "model", BAD_TEXT.nul],
    ["model with ESC", "model", BAD_TEXT.control],
    ["cursor with NUL", "cursor", "abc\u0000"],
  ])("transactions: %s → 400", async (_name, field, value) => {
    const url = `http://localhost/api/v1/mandates/${m.mandateId}/transactions?${new URLSearchParams({ [field]: value })}`;
    const req = new Request(url, { headers: { authorization: `Bearer ${key}` } });
    await expect400(await transactions(req, { params: Promise.resolve({ mandateId: m.mandateId }) }), field);
  });
});

describe("usage batch: each bad event is rejected alone", () => {
  it("1000 events, one bad per class: the other 990-odd are booked, each bad one names its field", async () => {
    const bad: [string, Record<string, unknown>][] = [
      ...Object.entries(BAD_TEXT).map(([, value]) => ["model", { model: value }] as [string, Record<string, unknown>]),
      ...Object.entries(BAD_DATES).map(
        ([, value]) => ["occurredAt", { occurredAt: value }] as [string, Record<string, unknown>],
      ),
      ...BAD_MONEY.map((value) => ["amount", { amount: value }] as [string, Record<string, unknown>]),
    ];
    const m2 = await createTestMandate({ balance: "1000" });
    const key2 = await createTestApiKey(m2.mandateId);
    const events = Array.from({ length: 1000 }, () => sampleUsageEvent(m2.mandateId, { amount: "0.01" }));
    // The bad events spread over the batch, at known positions.
    const positions = bad.map((_, i) => i * 61 + 7);
    bad.forEach(([, change], i) => Object.assign(events[positions[i]!]!, change));
    const req = new Request("http://localhost/api/v1/billing/usage/batch", {
      method: "POST",
      headers: { authorization: `Bearer ${key2}`, "content-type": "application/json" },
      body: JSON.stringify({ events }),
    });
    const res = await usageBatch(req, noParams);
    expect(res.status).toBe(200);
    const result = (await res.json()) as UsageBatchResponse;
    expect(result).toMatchObject({ booked: 1000 - bad.length, duplicates: 0, rejected: bad.length });
    bad.forEach(([field], i) => {
      const item = result.results[positions[i]!];
      expect(item).toMatchObject({ status: "rejected", error: { code: "VALIDATION_FAILED" } });
      expect(JSON.stringify(item), field).toContain(`"path":"${field}"`);
    });
    // Each booked event debits the pool and, without userId, no audit account: one DEBIT each.
    expect((await countBookings(m2.mandateId, { debitsOnly: true })).transactions).toBe(1000 - bad.length);
  });
});
