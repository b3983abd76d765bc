import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { prisma } from "@/lib/db/client";
import { createTestMandate, createTestUser } from "@/testing/test-factories";
import { getMembershipRole } from "@/lib/mandates/get-membership";
import { addMember } from "./add-member";
import { changeMemberRole } from "./change-member-role";
import { listMembers } from "./list-members";
import { removeMember } from "./remove-member";

const membershipOf = (mandateId: string, userId: string) =>
  prisma.membership.findUniqueOrThrow({ where: { mandateId_userId: { mandateId, userId } } });

describe("addMember", () => {
  it("adds an existing user by e-mail, in any case, with the given role", async () => {
    const m = await createTestMandate();
    const userId = await createTestUser("joiner");
    const { email } = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    const added = await addMember({
      mandateId: m.mandateId,
      member: { email: ` ${email.toUpperCase()} `, role: "ADMIN" },
    });
    expect(added).toMatchObject({ userId, email, invited: false });
    expect(await getMembershipRole(m.mandateId, userId)).toBe("ADMIN");
  });

  it("creates an invited user without password for an unknown e-mail", async () => {
    const m = await createTestMandate();
    const email = `New.Person-${randomUUID()}@Test.Invalid`;
    const added = await addMember({ mandateId: m.mandateId, member: { email, role: "MEMBER", name: "" } });
    expect(added.invited).toBe(true);
    const user = await prisma.user.findUniqueOrThrow({ where: { id: added.userId } });
    expect(user).toMatchObject({ email: email.toLowerCase(), name: email.toLowerCase(), passwordHash: null });
    const members = await listMembers(m.mandateId);
    expect(members.find((x) => x.userId === added.userId)).toMatchObject({ role: "MEMBER", hasPassword: false });
  });

  it("refuses a second membership with ALREADY_MEMBER and adds nothing", async () => {
    const m = await createTestMandate();
    const { email } = await prisma.user.findUniqueOrThrow({ where: { id: m.memberId } });
    await expect(addMember({ mandateId: m.mandateId, member: { email, role: "OWNER" } })).rejects.toMatchObject({
      code: "ALREADY_MEMBER",
    });
    expect((await membershipOf(m.mandateId, m.memberId)).role).toBe("MEMBER");
    expect(await prisma.membership.count({ where: { mandateId: m.mandateId } })).toBe(3);
  });

  it("validates the e-mail and role before touching anything", async () => {
    const m = await createTestMandate();
    await expect(
      addMember({ mandateId: m.mandateId, member: { email: "nope", role: "MEMBER" } }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      addMember({ mandateId: m.mandateId, member: { email: "x@example.ch", role: "GOD" as "OWNER" } }),
    ).rejects.toBeInstanceOf(ZodError);
    // The name of a user created by the invitation: no NUL or other control characters.
    await expect(
      addMember({
        mandateId: m.mandateId,
        member: { email: `n-${randomUUID()}@test.invalid`, name: "A\u0000", role: "MEMBER" },
      }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      addMember({ mandateId: randomUUID(), member: { email: `a-${randomUUID()}@test.invalid`, role: "MEMBER" } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await prisma.membership.count({ where: { mandateId: m.mandateId } })).toBe(3);
  });
});

describe("changeMemberRole", () => {
  it("changes a member's role", async () => {
    const m = await createTestMandate();
    const { id } = await membershipOf(m.mandateId, m.memberId);
    expect(await changeMemberRole({ mandateId: m.mandateId, change: { membershipId: id, role: "ADMIN" } })).toEqual({
      role: "ADMIN",
      changed: true,
    });
    expect(await getMembershipRole(m.mandateId, m.memberId)).toBe("ADMIN");
  });

  it("refuses to demote the last owner, and allows it once there is a second owner", async () => {
    const m = await createTestMandate();
    const owner = await membershipOf(m.mandateId, m.ownerId);
    await expect(
      changeMemberRole({ mandateId: m.mandateId, change: { membershipId: owner.id, role: "ADMIN" } }),
    ).rejects.toMatchObject({ code: "LAST_OWNER" });
    expect(await getMembershipRole(m.mandateId, m.ownerId)).toBe("OWNER");

    const admin = await membershipOf(m.mandateId, m.adminId);
    await changeMemberRole({ mandateId: m.mandateId, change: { membershipId: admin.id, role: "OWNER" } });
    await changeMemberRole({ mandateId: m.mandateId, change: { membershipId: owner.id, role: "MEMBER" } });
    expect(await getMembershipRole(m.mandateId, m.ownerId)).toBe("MEMBER");
  });

  it("keeps one owner when two owners demote each other at the same time", async () => {
    const m = await createTestMandate();
    const owner = await membershipOf(m.mandateId, m.ownerId);
    const admin = await membershipOf(m.mandateId, m.adminId);
    await changeMemberRole({ mandateId: m.mandateId, change: { membershipId: admin.id, role: "OWNER" } });
    const results = await Promise.allSettled([
      changeMemberRole({ mandateId: m.mandateId, change: { membershipId: owner.id, role: "ADMIN" } }),
      changeMemberRole({ mandateId: m.mandateId, change: { membershipId: admin.id, role: "ADMIN" } }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "LAST_OWNER" } });
    expect(await prisma.membership.count({ where: { mandateId: m.mandateId, role: "OWNER" } })).toBe(1);
  });

  it("answers NOT_FOUND for another mandate's membership id and changes nothing", async () => {
    const a = await createTestMandate();
    const b = await createTestMandate();
    const foreign = await membershipOf(b.mandateId, b.memberId);
    await expect(
      changeMemberRole({ mandateId: a.mandateId, change: { membershipId: foreign.id, role: "OWNER" } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(removeMember({ mandateId: a.mandateId, removal: { membershipId: foreign.id } })).rejects.toMatchObject(
      {
        code: "NOT_FOUND",
      },
    );
    expect((await membershipOf(b.mandateId, b.memberId)).role).toBe("MEMBER");
  });
});

describe("removeMember", () => {
  it("removes a membership at once and keeps the user", async () => {
    const m = await createTestMandate();
    const { id } = await membershipOf(m.mandateId, m.adminId);
    expect(await removeMember({ mandateId: m.mandateId, removal: { membershipId: id } })).toEqual({
      userId: m.adminId,
      email: expect.stringMatching(/^admin-.*@test\.invalid$/),
    });
    expect(await getMembershipRole(m.mandateId, m.adminId)).toBeNull();
    expect(await prisma.user.findUnique({ where: { id: m.adminId } })).not.toBeNull();
    expect((await listMembers(m.mandateId)).map((x) => x.userId).sort()).toEqual([m.ownerId, m.memberId].sort());
  });

  it("refuses to remove the last owner", async () => {
    const m = await createTestMandate();
    const { id } = await membershipOf(m.mandateId, m.ownerId);
    await expect(removeMember({ mandateId: m.mandateId, removal: { membershipId: id } })).rejects.toMatchObject({
      code: "LAST_OWNER",
    });
    expect(await getMembershipRole(m.mandateId, m.ownerId)).toBe("OWNER");
  });
});

describe("listMembers", () => {
  it("lists owners first with name, e-mail, role and since", async () => {
    const m = await createTestMandate();
    const members = await listMembers(m.mandateId);
    expect(members.map((x) => x.role)).toEqual(["OWNER", "ADMIN", "MEMBER"]);
    expect(members[0]).toMatchObject({ userId: m.ownerId, name: "Test owner", since: expect.any(String) });
  });
});
