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

  it("refuses a captured reservation, and a debit naming a released one", async () => {
    const m = await createTestMandate({ balance: "3" });
    const captured = await hold(m, "1");
    await usage(m, captured);
    await expect(releaseReservation(m.mandateId, captured)).rejects.toSatisfy((err) =>
      isDomainError(err, "RESERVATION_ALREADY_SETTLED"),
    );
    expect((await getReservation(m.mandateId, captured)).status).toBe("CAPTURED");

    const released = await hold(m, "1");
    await releaseReservation(m.mandateId, released);
    await expect(usage(m, released)).rejects.toSatisfy((err) => isDomainError(err, "RESERVATION_ALREADY_SETTLED"));
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

  it("a release racing the capture of the same hold: exactly one of them settles it", async () => {
    for (let round = 0; round < 10; round++) {
      const m = await createTestMandate({ balance: "3" });
      const id = await hold(m, "1");
      const [release, capture] = await Promise.allSettled([releaseReservation(m.mandateId, id), usage(m, id)]);
      expect([release.status, capture.status].sort()).toEqual(["fulfilled", "rejected"]);
      // The loser sees the hold settled (not a deadlock or a lost update).
      const loser = release.status === "rejected" ? release : capture;
      expect(isDomainError(loser.status === "rejected" ? loser.reason : null, "RESERVATION_ALREADY_SETTLED")).toBe(
        true,
      );
      const settled = await getReservation(m.mandateId, id);
      expect(settled.status).toBe(release.status === "fulfilled" ? "RELEASED" : "CAPTURED");
      // Held money back in full, or the debit's 0.5 gone: never both, never still held.
      await expectAvailable(m.mandateId, release.status === "fulfilled" ? "3.000000" : "2.500000");
    }
  });
});
