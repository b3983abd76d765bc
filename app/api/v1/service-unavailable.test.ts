import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as usage } from "@/app/api/v1/billing/usage/route";
import { createTestApiKey } from "@/testing/api-client";
import { countBookings } from "@/testing/booking-counts";
import { sampleUsageEvent } from "@/testing/sample-usage-event";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";

/**
 * A booking that hits a lock timeout answers 503 with Retry-After, books nothing, and the same
 * request repeated later is booked exactly once. This file's own connections (a test process of
 * its own) give up on a lock after 300 ms, so another session holding the pool account's row lock
 * makes the timeout real and deterministic.
 */
vi.hoisted(() => {
  const url = new URL(process.env.DATABASE_URL!);
  url.searchParams.set("options", "-c lock_timeout=300");
  process.env.DATABASE_URL = url.toString();
});

let m: TestMandate;
let key: string;
let holder: pg.Client;
beforeAll(async () => {
  m = await createTestMandate({ balance: "1" });
  key = await createTestApiKey(m.mandateId);
  holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await holder.connect();
});
afterAll(async () => holder.end());

function post(body: unknown): Request {
  return new Request("http://localhost/api/v1/billing/usage", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("503 when the pool account's lock cannot be had", () => {
  it("answers 503 SERVICE_UNAVAILABLE with Retry-After; the retry books once", async () => {
    const event = sampleUsageEvent(m.mandateId, { amount: "0.25" });
    const before = await countBookings(m.mandateId);
    await holder.query("BEGIN");
    await holder.query("SELECT id FROM billing_account WHERE id = $1 FOR UPDATE", [m.poolAccountId]);
    let locked: Response;
    try {
      locked = await usage(post(event), { params: Promise.resolve({}) });
    } finally {
      await holder.query("ROLLBACK");
    }
    expect(locked.status).toBe(503);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await locked.json()).toMatchObject({ error: { code: "SERVICE_UNAVAILABLE" } });
    expect(await countBookings(m.mandateId)).toEqual(before);

    const retried = await usage(post(event), { params: Promise.resolve({}) });
    expect(retried.status).toBe(201);
    const again = await usage(post(event), { params: Promise.resolve({}) });
    expect(again.status).toBe(200);
    expect((await countBookings(m.mandateId)).transactions).toBe(before.transactions + 1);
  });
});
