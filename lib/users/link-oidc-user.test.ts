import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createUser } from "./create-user";
import { linkOidcUser } from "./link-oidc-user";

describe("linkOidcUser", () => {
  it("links to the existing user with that e-mail (any case), keeping their password and name", async () => {
    const email = `oidc-${randomUUID()}@test.invalid`;
    const { userId } = await createUser({ email, name: "Existing", password: "pw-123456" });
    const linked = await linkOidcUser({ email: email.toUpperCase(), name: "From IdP" });
    expect(linked).toMatchObject({ id: userId, name: "Existing" });
    expect((await prisma.user.findUnique({ where: { id: userId } }))?.passwordHash).toBeTruthy();
  });

  it("creates one password-less user on the first sign-in, even when two race", async () => {
    const email = `oidc-${randomUUID()}@test.invalid`;
    const [a, b] = await Promise.all([linkOidcUser({ email, name: "New" }), linkOidcUser({ email, name: "New" })]);
    expect(a.id).toBe(b.id);
    const row = await prisma.user.findUniqueOrThrow({ where: { email } });
    expect(row).toMatchObject({ name: "New", passwordHash: null, isPlatformAdmin: false });
    expect(await prisma.membership.count({ where: { userId: row.id } })).toBe(0);
  });
});
