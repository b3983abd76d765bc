import { randomUUID } from "node:crypto";
import argon2 from "argon2";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { isDomainError } from "@/lib/errors";
import { createUser } from "./create-user";
import { createPlatformAdmin } from "./create-platform-admin";

describe("createPlatformAdmin", () => {
  it("creates a platform admin without membership whose password is argon2id-hashed", async () => {
    const email = `admin-${randomUUID()}@test.invalid`;
    const { userId } = await createPlatformAdmin({
      email: ` ${email.toUpperCase()} `,
      name: "Ops",
      password: "a long chosen pass",
    });
    const row = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    expect(row).toMatchObject({ email, name: "Ops", isPlatformAdmin: true });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await argon2.verify(row.passwordHash ?? "", "a long chosen pass")).toBe(true);
    expect(await prisma.membership.count({ where: { userId } })).toBe(0);
  });

  it("refuses an existing e-mail and leaves that user as it was", async () => {
    const email = `taken-${randomUUID()}@test.invalid`;
    const { userId } = await createUser({ email, name: "Someone", password: "their-own-password" });
    const before = await prisma.user.findUniqueOrThrow({ where: { id: userId } });
    const err = await createPlatformAdmin({ email, name: "Ops", password: "a long chosen pass" }).catch(
      (e: unknown) => e,
    );
    expect(isDomainError(err, "VALIDATION_FAILED")).toBe(true);
    expect((err as Error).message).toContain("already exists");
    expect(await prisma.user.findUniqueOrThrow({ where: { id: userId } })).toEqual(before);
  });

  it("refuses a short password and creates nothing", async () => {
    const email = `short-${randomUUID()}@test.invalid`;
    const err = await createPlatformAdmin({ email, name: "Ops", password: "short" }).catch((e: unknown) => e);
    expect(isDomainError(err, "VALIDATION_FAILED")).toBe(true);
    expect(await prisma.user.count({ where: { email } })).toBe(0);
  });
});
