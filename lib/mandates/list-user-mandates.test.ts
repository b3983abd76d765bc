import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestMandate, createTestUser } from "@/testing/test-factories";
import { getMandate } from "./get-mandate";
import { getMembershipRole } from "./get-membership";
import { listUserMandates } from "./list-user-mandates";

describe("mandate queries used by the dashboard guards", () => {
  it("lists only the person's mandates, with role and pool balance", async () => {
    const a = await createTestMandate({ balance: "12.5" });
    const b = await createTestMandate({ balance: "3" });
    const mine = await listUserMandates({ userId: a.adminId, includeAll: false });
    expect(mine).toEqual([
      expect.objectContaining({ mandateId: a.mandateId, role: "ADMIN", balance: "12.500000", currency: "CHF" }),
    ]);
    expect(mine.map((m) => m.mandateId)).not.toContain(b.mandateId);
  });

  it("shows no pool balance where the person is a MEMBER, and the balance where they are ADMIN", async () => {
    const a = await createTestMandate({ balance: "12.5" });
    const b = await createTestMandate({ balance: "3" });
    await prisma.membership.create({ data: { mandateId: b.mandateId, userId: a.memberId, role: "ADMIN" } });
    const mine = await listUserMandates({ userId: a.memberId, includeAll: false });
    expect(mine.find((m) => m.mandateId === a.mandateId)).toMatchObject({ role: "MEMBER", balance: null });
    expect(mine.find((m) => m.mandateId === b.mandateId)).toMatchObject({ role: "ADMIN", balance: "3.000000" });
    expect(JSON.stringify(mine)).not.toContain("12.5");
  });

  it("lists every mandate for a platform admin, without a role where they are no member", async () => {
    const a = await createTestMandate();
    const admin = await createTestUser("platform");
    const all = await listUserMandates({ userId: admin, includeAll: true });
    expect(all.find((m) => m.mandateId === a.mandateId)).toMatchObject({ role: null, balance: "0.000000" });
  });

  it("reads a membership role, null for strangers and malformed ids", async () => {
    const a = await createTestMandate();
    const stranger = await createTestUser("stranger");
    expect(await getMembershipRole(a.mandateId, a.ownerId)).toBe("OWNER");
    expect(await getMembershipRole(a.mandateId, a.memberId)).toBe("MEMBER");
    expect(await getMembershipRole(a.mandateId, stranger)).toBeNull();
    expect(await getMembershipRole("not-a-uuid", a.ownerId)).toBeNull();
    expect(await getMandate("../etc")).toBeNull();
    expect(await getMandate(randomUUID())).toBeNull();
    expect(await getMandate(a.mandateId)).toMatchObject({ mandateId: a.mandateId });
  });
});
