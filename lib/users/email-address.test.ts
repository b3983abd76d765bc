import { describe, expect, it } from "vitest";
import { CreateMandateInput } from "@/lib/admin/create-mandate-schema";
import { AddMemberInput } from "@/lib/members/member-schemas";
import { emailAddress, MAX_EMAIL_LENGTH, normalizeEmail } from "./email-address";

describe("the e-mail address rule", () => {
  it("stores one spelling per mailbox: trimmed and lower-cased", () => {
    expect(normalizeEmail("  Anna.Muster@Example.CH ")).toBe("anna.muster@example.ch");
    expect(emailAddress().parse(" Anna@Example.ch")).toBe("anna@example.ch");
  });

  it("refuses what is not an address, and addresses longer than SMTP delivers to", () => {
    const long = `${"a".repeat(MAX_EMAIL_LENGTH - "@x.ch".length + 1)}@x.ch`;
    expect(emailAddress("bad").safeParse("not-an-address").error?.issues[0]?.message).toBe("bad");
    expect(emailAddress().safeParse(long).success).toBe(false);
    expect(emailAddress().safeParse(long.slice(1)).success).toBe(true);
  });

  it("is the rule of every form that takes an address", () => {
    const form = { name: "Muster AG", allowedProviders: [] };
    expect(CreateMandateInput.parse({ ...form, ownerEmail: " Owner@Muster.CH " }).ownerEmail).toBe("owner@muster.ch");
    expect(CreateMandateInput.parse({ ...form, ownerEmail: "" }).ownerEmail).toBeNull();
    expect(CreateMandateInput.safeParse({ ...form, ownerEmail: "nope" }).error?.issues[0]?.message).toBe("email");
    expect(AddMemberInput.parse({ email: "New@Muster.CH", role: "MEMBER" }).email).toBe("new@muster.ch");
  });
});
