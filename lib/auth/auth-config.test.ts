import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clientAddressFromHeaders } from "./client-address";
import { ensureNextAuthSecret, readNextAuthSecret } from "./nextauth-secret";
import { buildOidcProvider } from "./oidc-provider";
import { DEFAULT_AFTER_SIGN_IN, safeCallbackUrl } from "./safe-callback-url";

describe("safeCallbackUrl", () => {
  it("keeps paths of this site", () => {
    expect(safeCallbackUrl("/mandates/abc/transactions?page=2")).toBe("/mandates/abc/transactions?page=2");
    expect(safeCallbackUrl("http://localhost:3000/mandates", "http://localhost:3000")).toBe("/mandates");
  });

  it.each([
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "javascript:alert(1)",
    "mandates",
    "/signin?callbackUrl=/x",
    "/api/auth/signout",
    "",
    undefined,
    ["/a", "/b"],
  ])("replaces %j with the default", (value) => {
    expect(safeCallbackUrl(value, "http://localhost:3000")).toBe(DEFAULT_AFTER_SIGN_IN);
  });
});

describe("clientAddressFromHeaders", () => {
  it("takes the right-most X-Forwarded-For entry (added by the nearest hop)", () => {
    expect(clientAddressFromHeaders({ "x-forwarded-for": "1.1.1.1, 203.0.113.9" })).toBe("203.0.113.9");
    expect(clientAddressFromHeaders(new Headers({ "x-forwarded-for": "::1" }))).toBe("::1");
    expect(clientAddressFromHeaders({ "x-real-ip": "198.51.100.4" })).toBe("198.51.100.4");
    expect(clientAddressFromHeaders({})).toBe("unknown");
    expect(clientAddressFromHeaders(undefined)).toBe("unknown");
  });
});

describe("NEXTAUTH_SECRET for local runs", () => {
  const saved = process.env.NEXTAUTH_SECRET;
  afterEach(() => {
    if (saved === undefined) delete process.env.NEXTAUTH_SECRET;
    else process.env.NEXTAUTH_SECRET = saved;
  });

  it("creates a random secret once, private to its owner, and reuses it", () => {
    delete process.env.NEXTAUTH_SECRET;
    const file = path.join(mkdtempSync(path.join(tmpdir(), "nextauth-")), "sub", "nextauth-secret");
    expect(readNextAuthSecret(file)).toBeUndefined();
    const first = ensureNextAuthSecret(file);
    expect(first.length).toBeGreaterThanOrEqual(43);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureNextAuthSecret(file)).toBe(first);
    expect(readNextAuthSecret(file)).toBe(first);
  });

  it("prefers NEXTAUTH_SECRET and ignores a too-short stored secret", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "nextauth-")), "nextauth-secret");
    writeFileSync(file, "short\n");
    delete process.env.NEXTAUTH_SECRET;
    expect(readNextAuthSecret(file)).toBeUndefined();
    process.env.NEXTAUTH_SECRET = "from-the-environment-0123456789abcdef";
    expect(ensureNextAuthSecret(file)).toBe("from-the-environment-0123456789abcdef");
    expect(readFileSync(file, "utf8")).toBe("short\n");
  });
});

describe("OpenID Connect provider", () => {
  const env = { OIDC_ISSUER: "https://id.example.ch/realms/x/", OIDC_CLIENT_ID: "billing", OIDC_CLIENT_SECRET: "s" };

  it("is off unless issuer, client id and secret are all set", () => {
    expect(buildOidcProvider({})).toBeNull();
    expect(buildOidcProvider({ ...env, OIDC_CLIENT_SECRET: "" })).toBeNull();
    expect(buildOidcProvider({ ...env, OIDC_ISSUER: undefined })).toBeNull();
  });

  it("discovers the issuer, uses PKCE and state, and maps the profile", async () => {
    const provider = buildOidcProvider({ ...env, OIDC_NAME: "Swiss ID" });
    expect(provider).toMatchObject({
      id: "oidc",
      name: "Swiss ID",
      type: "oauth",
      wellKnown: "https://id.example.ch/realms/x/.well-known/openid-configuration",
      idToken: true,
      checks: ["pkce", "state"],
    });
    const user = await provider?.profile(
      { sub: "abc", email: "a@b.ch", name: "Anna" },
      {} as Parameters<NonNullable<typeof provider>["profile"]>[1],
    );
    expect(user).toEqual({ id: "abc", email: "a@b.ch", name: "Anna" });
  });
});
