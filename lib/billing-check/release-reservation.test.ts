import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { isDomainError } from "@/lib/errors";
import { recordUsage } from "@/lib/usage/record-usage";
import { sampleUsageInput } from "@/testing/sample-usage-event";
import { expectAvailable } from "@/testing/expect-available";
import { waitForExpiry } from "@/testing/wait-until";
import { releaseReservation } from "./release-reservation";
import { getReservation } from "@/testing/reservations";
import { runBillingCheck } from "./run-billing-check";

async function hold(m: TestMandate, estimatedCost: string, reservationTtlSeconds = 60): Promise<string> {
  const check = await runBillingCheck({ mandateId: m.mandateId, estimatedCost, reserve: true, reservationTtlSeconds });
  if (!check.allowed || !check.reservationId) throw new Error(`check refused: ${check.reason}`);
  return check.reservationId;
}

const usage = (m: TestMandate, reservationId: string) =>
  recordUsage(sampleUsageInput(m.mandateId, { reservationId, amount: "0.5" }));

describe("releaseReservation", () => {
  it("frees the held money at once, and a retry frees nothing more", async () => {
    const m = await createTestMandate({ balance: "3" });
    const first = await hold(m, "2");
    expect((await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "2" })).allowed).toBe(false);

    const released = await releaseReservation(m.mandateId, first);
    expect(released).toMatchObject({ reservationId: first, status: "RELEASED", amount: "2.000000", released: true });
    expect(released.settledAt.getTime()).toBeLessThan(released.expiresAt.getTime());
    await expectAvailable(m.mandateId, "3.000000");

    const again = await releaseReservation(m.mandateId, first);
    expect(again).toEqual({ ...released, released: false });
    await expectAvailable(m.mandateId, "3.000000");
  });

  it("labels a hold already past its expiry EXPIRED, as the sweep would, and frees nothing", async () => {
    const m = await createTestMandate({ balance: "3" });
    const id = await hold(m, "1", 1);
    // This file runs no sweep; should a test server's sweep mark it first, the answer is the same.
    await waitForExpiry([id]);

    const late = await releaseReservation(m.mandateId, id);
    expect(late).toMatchObject({ status: "EXPIRED", released: false });
    expect(late.settledAt).toEqual(late.expiresAt);
    await expectAvailable(m.mandateId, "3.000000");
  });

  it("refuses to release a captured reservation; a debit naming a released one is booked all the same", async () => {
    const m = await createTestMandate({ balance: "3" });
    const captured = await hold(m, "1");
    await usage(m, captured);
    await expect(releaseReservation(m.mandateId, captured)).rejects.toSatisfy((err) =>
      isDomainError(err, "RESERVATION_ALREADY_SETTLED"),
    );
    expect((await getReservation(m.mandateId, captured)).status).toBe("CAPTURED");

    const released = await hold(m, "1");
    await releaseReservation(m.mandateId, released);
    // The call happened: its debit is never lost, and the hold stays released.
    expect((await usage(m, released)).balanceAfter).toBe("2.000000");
    expect((await getReservation(m.mandateId, released)).status).toBe("RELEASED");
  });

  it("hides another mandate's reservation and unknown ids (NOT_FOUND), changing nothing", async () => {
    const [a, b] = await Promise.all([createTestMandate({ balance: "3" }), createTestMandate({ balance: "3" })]);
    const id = await hold(a, "1");
    for (const [mandateId, reservationId] of [
      [b.mandateId, id],
      [a.mandateId, randomUUID()],
      [a.mandateId, "not-a-uuid"],
    ] as const) {
      await expect(releaseReservation(mandateId, reservationId)).rejects.toSatisfy((err) =>
        isDomainError(err, "NOT_FOUND"),
      );
    }
    expect((await getReservation(a.mandateId, id)).status).toBe("OPEN");
    await expectAvailable(a.mandateId, "2.000000");
  });

  it("a release racing the capture of the same hold: exactly one of them settles it, the debit is booked", async () => {
    for (let round = 0; round < 10; round++) {
      const m = await createTestMandate({ balance: "3" });
      const id = await hold(m, "1");
      const [release, capture] = await Promise.allSettled([releaseReservation(m.mandateId, id), usage(m, id)]);
      // The debit is never lost; the release loses when the capture came first.
      expect(capture.status).toBe("fulfilled");
      if (release.status === "rejected") {
        expect(isDomainError(release.reason, "RESERVATION_ALREADY_SETTLED")).toBe(true);
      }
      const settled = await getReservation(m.mandateId, id);
      expect(settled.status).toBe(release.status === "fulfilled" ? "RELEASED" : "CAPTURED");
      // The debit's 0.5 gone, and nothing still held (not a deadlock or a lost update).
      await expectAvailable(m.mandateId, "2.500000");
    }
  });
});
