import { describe, expect, it } from "vitest";
import type { MandateRole } from "@/lib/db/generated/client";
import { decideMemberAccess, roleSatisfies } from "./roles";

const ROLES: MandateRole[] = ["OWNER", "ADMIN", "MEMBER"];

describe("role order OWNER > ADMIN > MEMBER", () => {
  it.each([
    ["OWNER", "OWNER", true],
    ["OWNER", "ADMIN", true],
    ["OWNER", "MEMBER", true],
    ["ADMIN", "OWNER", false],
    ["ADMIN", "ADMIN", true],
    ["ADMIN", "MEMBER", true],
    ["MEMBER", "OWNER", false],
    ["MEMBER", "ADMIN", false],
    ["MEMBER", "MEMBER", true],
  ] as const)("%s satisfies %s: %s", (role, minimum, expected) => {
    expect(roleSatisfies(role, minimum)).toBe(expected);
  });
});

describe("decideMemberAccess", () => {
  const base = { mandateExists: true, isPlatformAdmin: false, minimumRole: "MEMBER" as MandateRole };

  it("hides the mandate from non-members exactly as if it did not exist", () => {
    expect(decideMemberAccess({ ...base, membershipRole: null })).toEqual({ ok: false, code: "NOT_FOUND" });
    expect(decideMemberAccess({ ...base, mandateExists: false, membershipRole: null })).toEqual({
      ok: false,
      code: "NOT_FOUND",
    });
  });

  it("refuses members below the required role with FORBIDDEN", () => {
    expect(decideMemberAccess({ ...base, membershipRole: "MEMBER", minimumRole: "ADMIN" })).toEqual({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(decideMemberAccess({ ...base, membershipRole: "ADMIN", minimumRole: "OWNER" })).toEqual({
      ok: false,
      code: "FORBIDDEN",
    });
  });

  it("admits members at or above the required role with their own role", () => {
    expect(decideMemberAccess({ ...base, membershipRole: "ADMIN", minimumRole: "ADMIN" })).toEqual({
      ok: true,
      role: "ADMIN",
    });
    expect(decideMemberAccess({ ...base, membershipRole: "OWNER", minimumRole: "MEMBER" })).toEqual({
      ok: true,
      role: "OWNER",
    });
  });

  it("admits platform admins to every existing mandate as OWNER, member or not", () => {
    for (const minimumRole of ROLES) {
      for (const membershipRole of [null, ...ROLES]) {
        expect(decideMemberAccess({ ...base, isPlatformAdmin: true, membershipRole, minimumRole })).toEqual({
          ok: true,
          role: "OWNER",
        });
      }
    }
    expect(decideMemberAccess({ ...base, isPlatformAdmin: true, mandateExists: false, membershipRole: null })).toEqual({
      ok: false,
      code: "NOT_FOUND",
    });
  });
});
