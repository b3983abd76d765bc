import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clientAddressFromHeaders } from "./client-address";
import { secureCookiesFor } from "./secure-cookies";
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
  const xff = (value: string) => ({ "x-forwarded-for": value });

  it("ignores X-Forwarded-For and X-Real-IP without a trusted proxy: no address", () => {
    const instance = null;
    for (const env of [{}, { TRUSTED_PROXY_HOPS: "" }, { TRUSTED_PROXY_HOPS: "0" }, { TRUSTED_PROXY_HOPS: "x" }]) {
      expect(clientAddressFromHeaders(xff("203.0.113.9"), env)).toBe(instance);
      expect(clientAddressFromHeaders({ "x-real-ip": "198.51.100.4" }, env)).toBe(instance);
      expect(clientAddressFromHeaders(undefined, env)).toBe(instance);
    }
  });

  it("behind n trusted proxies takes the n-th entry from the right, which no client can forge", () => {
    const one = { TRUSTED_PROXY_HOPS: "1" };
    const two = { TRUSTED_PROXY_HOPS: "2" };
    // The client sent "1.1.1.1" itself; the proxy appended the address it saw.
    expect(clientAddressFromHeaders(xff("1.1.1.1, 203.0.113.9"), one)).toBe("203.0.113.9");
    expect(clientAddressFromHeaders(new Headers(xff("2001:db8::1")), one)).toBe("2001:db8::1");
    expect(clientAddressFromHeaders(xff("1.1.1.1, 203.0.113.9, 10.0.0.2"), two)).toBe("203.0.113.9");
  });

  it("has no address when the header is missing, too short or not an address", () => {
    const two = { TRUSTED_PROXY_HOPS: "2" };
    expect(clientAddressFromHeaders({}, two)).toBeNull();
    expect(clientAddressFromHeaders(xff("203.0.113.9"), two)).toBeNull();
    expect(clientAddressFromHeaders(xff("evil, 10.0.0.2"), two)).toBeNull();
  });
});

describe("secure cookies", () => {
  it("are on exactly when NEXTAUTH_URL is https", () => {
    expect(secureCookiesFor("https://billing.example.ch")).toBe(true);
    expect(secureCookiesFor("HTTPS://billing.example.ch")).toBe(true);
    expect(secureCookiesFor("http://localhost:3000")).toBe(false);
    expect(secureCookiesFor(undefined)).toBe(false);
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
