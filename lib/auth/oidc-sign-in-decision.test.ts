import { describe, expect, it } from "vitest";
import { decideOidcSignIn } from "./oidc-sign-in-decision";

const email = "ada@example.ch";

describe("decideOidcSignIn", () => {
  it("lets a sign-in through only when email_verified is the boolean true", () => {
    expect(decideOidcSignIn({ email, email_verified: true })).toEqual({ ok: true });
  });

  it.each([
    ["missing", {}],
    ["false", { email_verified: false }],
    ['the string "true"', { email_verified: "true" }],
    ['the string "false"', { email_verified: "false" }],
    ["a number", { email_verified: 1 }],
    ["null", { email_verified: null }],
  ])("refuses email_verified %s", (_label, claim) => {
    expect(decideOidcSignIn({ email, ...claim })).toEqual({ ok: false, error: "EMAIL_NOT_VERIFIED" });
  });

  it("refuses a sign-in without an e-mail", () => {
    expect(decideOidcSignIn({ email_verified: true })).toEqual({ ok: false, error: "EMAIL_MISSING" });
    expect(decideOidcSignIn({ email: " ", email_verified: true })).toEqual({ ok: false, error: "EMAIL_MISSING" });
    expect(decideOidcSignIn(undefined)).toEqual({ ok: false, error: "EMAIL_MISSING" });
  });
});
