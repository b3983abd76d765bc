import { describe, expect, it } from "vitest";
import { appServerForThisFile } from "@/testing/app-server";

const app = appServerForThisFile();

/** Pages, route handlers (answering 200, 401 and 404) and a missing page all carry the set. */
const PATHS = [
  "/",
  "/signin",
  "/mandates",
  "/api/health",
  "/api/auth/providers",
  "/api/v1/billing/check",
  "/api/dashboard/mandates/00000000-0000-4000-8000-000000000000/transactions",
  "/no-such-page",
];

describe("security headers", () => {
  it.each(PATHS)("%s carries CSP, frame-ancestors, nosniff and the referrer policy", async (path) => {
    const res = await fetch(`${app.baseUrl}${path}`, { redirect: "manual" });
    expect(res.status).toBeLessThan(500);
    const csp = res.headers.get("content-security-policy") ?? "";
    const directives = new Map(
      csp.split(";").map((d) => {
        const [name = "", ...values] = d.trim().split(/\s+/);
        return [name, values.join(" ")];
      }),
    );
    expect(directives.get("default-src")).toBe("'self'");
    expect(directives.get("script-src")).toBe("'self' 'unsafe-inline'"); // no eval in production
    expect(directives.get("frame-ancestors")).toBe("'none'");
    expect(directives.get("object-src")).toBe("'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("serves the sign-in page's scripts from its own origin, as the CSP requires", async () => {
    const html = await (await fetch(`${app.baseUrl}/signin`)).text();
    const sources = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) expect(src.startsWith("/") && !src.startsWith("//")).toBe(true);
  });
});
