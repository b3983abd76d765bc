import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ERROR_CODES } from "@/lib/errors";
import { bookUsage } from "@/lib/ledger/book-usage";
import { listTransactions } from "@/lib/ledger/list-transactions";
import { waitForRollup } from "@/testing/wait-for-rollup";
import { badDay, badId, badInteger, badText, edgeDay } from "@/testing/malformed-values";
import { auditAccountOf, createPlatformAdmin, transactionCountOf } from "@/testing/dashboard-people";
import { snapshotMandate } from "@/testing/mandate-snapshot";
import { importRouteHandler, routeHandlerFiles, routeRequestParts } from "@/testing/route-handlers";
import { signIn, signInAs, TWO_MANDATE_SESSIONS, type TwoMandateSession } from "@/testing/signed-in-user";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";

// Outside a Next request there is no session cookie and no request scope: the session lookup
// reads whom the test signed in (testing/signed-in-user.ts), and the export route's headers()
// and the locale's cookies() answer as a German-speaking browser without a locale cookie.
vi.mock("@/lib/auth/get-session-user", async () => ({
  getSessionUser: (await import("@/testing/signed-in-user")).signedInUser,
}));
vi.mock("next/headers", () => ({
  headers: () => Promise.resolve(new Headers({ "accept-language": "de-CH,de;q=0.9" })),
  cookies: () => Promise.resolve({ get: () => undefined }),
}));

/**
 * Property: whatever query string and mandate id reach a dashboard route, from whoever is signed
 * in (or nobody), the answer is below 500, an error is the one `{ error: { code } }` body with a
 * 4xx, nothing changes, nobody reads a mandate they are no member of, and a MEMBER never gets a
 * pool figure: only their own audit account's rows and usage. Bounded: RUNS per route. One file,
 * over the usual length: the fixed cases use the fuzz's fixtures (two mandates, their usage).
 */
const RUNS = 100;

let a: TestMandate;
let b: TestMandate;
let platformAdminId: string;
/** The transactions of A's MEMBER (their audit account) and of A's pool. */
let memberAuditAccountId: string;
let memberRows: number;
let poolRows: number;
let cursors: string[];

beforeAll(async () => {
  [a, b, platformAdminId] = await Promise.all([
    createTestMandate({ balance: "10" }),
    createTestMandate({ balance: "10" }),
    createPlatformAdmin(),
  ]);
  const usage: [string, string | null, string][] = [
    [a.mandateId, a.ownerId, "0.400000"],
    [a.mandateId, a.ownerId, "0.300000"],
    [a.mandateId, a.memberId, "0.020000"],
    [a.mandateId, a.memberId, "0.010000"],
    [a.mandateId, null, "0.500000"],
    [b.mandateId, b.memberId, "0.700000"],
  ];
  for (const [mandateId, userId, amount] of usage) {
    await bookUsage({ mandateId, userId, amount, provider: "openai", model: "gpt-4o", idempotencyKey: randomUUID() });
  }
  ({ accountId: memberAuditAccountId, rows: memberRows } = await auditAccountOf(a.mandateId, a.memberId));
  poolRows = await transactionCountOf(a.poolAccountId);
  // Real cursors of both orders, which the fuzz sends as they are and altered.
  const pages = await Promise.all([
    listTransactions({ mandateId: a.mandateId, limit: 1 }),
    listTransactions({ mandateId: a.mandateId, limit: 1, sort: "amount", direction: "asc" }),
  ]);
  cursors = pages.map((page) => page.nextCursor).filter((cursor): cursor is string => cursor !== null);
});

type Target = "A" | "B" | "unknown" | { bad: string };
const target: fc.Arbitrary<Target> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Target>("A") },
  { weight: 1, arbitrary: fc.constantFrom<Target>("B", "unknown") },
  { weight: 1, arbitrary: badId.map((bad): Target => ({ bad })) },
);
const mandateIdOf = (t: Target): string =>
  t === "A" ? a.mandateId : t === "B" ? b.mandateId : t === "unknown" ? randomUUID() : t.bad;

/** A member of the mandate in the URL, or a platform admin: the only ones who may read it. */
function mayRead(session: TwoMandateSession, t: Target): boolean {
  if (session === "platformAdmin") return true;
  if (t === "A") return session === "ownerA" || session === "adminA" || session === "memberA";
  if (t === "B") return session === "ownerB";
  return false;
}

/** A cursor as the table hands it out, cut, extended, or forged with keys PostgreSQL cannot store. */
const cursor = fc.oneof(
  // Chained: the cursors exist only once beforeAll has run.
  fc.constant(null).chain(() => fc.constantFrom(...cursors)),
  fc
    .constant(null)
    .chain(() => fc.constantFrom(...cursors))
    .chain((c) => fc.constantFrom(c.slice(0, -3), `${c}A`, c.toUpperCase())),
  fc
    .tuple(
      fc.constantFrom(
        "0000-01-01T00:00:00.000000Z",
        "2026-02-30T00:00:00.000000Z",
        "9999-12-31T23:59:59.999999Z",
        "-1.000000",
        "9".repeat(24) + ".000000",
      ),
      fc.oneof(fc.uuid(), badId),
      fc.constantFrom<string[]>([], ["amount", "asc"], ["createdAt", "asc"]),
    )
    .map(([key, id, order]) => Buffer.from(JSON.stringify([...order, key, id])).toString("base64url")),
  fc.string({ unit: "binary" }),
  badText,
);

const day = fc.oneof(fc.constantFrom("2026-11-01", "2026-12-31", "2000-01-01"), edgeDay, badDay, badText);
const QUERY_VALUES: Record<string, () => fc.Arbitrary<string>> = {
  period: () => fc.oneof(fc.constantFrom("DAY", "MONTH", "YEAR", "day", "WEEK", ""), badText),
  year: () => fc.oneof(fc.constantFrom("2026", "2000", "2999", "0", "1999", "3000", "0002026"), badInteger),
  month: () => fc.oneof(fc.constantFrom("1", "12", "0", "13", "011"), badInteger),
  sort: () => fc.oneof(fc.constantFrom("createdAt", "amount", "balanceAfter", "", "__proto__"), badText),
  dir: () => fc.oneof(fc.constantFrom("asc", "desc", "ASC", ""), badText),
  type: () => fc.oneof(fc.constantFrom("DEBIT", "CREDIT", "ADJUSTMENT", "debit", ""), badText),
  referenceType: () => fc.oneof(fc.constantFrom("USAGE", "STRIPE", "ADMIN", "SYSTEM", "usage"), badText),
  provider: () => fc.oneof(fc.constantFrom("openai", "anthropic", " ", "%"), fc.string(), badText),
  model: () => fc.oneof(fc.constantFrom("gpt-4o", "_", "\\"), fc.string(), badText),
  feature: () => fc.oneof(fc.constantFrom("chat", "unknown"), fc.string(), badText),
  // Other people's ids: the pool's rows a MEMBER must not get by naming their owner.
  user: () => fc.oneof(fc.constantFrom(a.ownerId, a.adminId, a.memberId, b.memberId, ""), fc.uuid(), badId),
  from: () => day,
  to: () => day,
  cursor: () => cursor,
};
const query = fc.array(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .constantFrom(...Object.keys(QUERY_VALUES))
        .chain((k) => QUERY_VALUES[k]!().map((v) => [k, v] as const)),
    },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.string(), badText), fc.oneof(fc.string(), badText)) },
  ),
  { maxLength: 6 },
);
/** The statistics need a period and a year to get past the schema; most runs send them. */
const statisticsQuery = fc
  .tuple(fc.constantFrom("DAY", "MONTH", "YEAR"), fc.constantFrom("2026", String(new Date().getUTCFullYear())), query)
  .map(([period, year, rest]) => [
    ["period", period] as const,
    ["year", year] as const,
    ["month", "11"] as const,
    ...rest,
  ]);

const routes = routeHandlerFiles("api/dashboard");

const snapshots = () =>
  Promise.all([
    snapshotMandate(a.mandateId, [a.ownerId, a.adminId, a.memberId, platformAdminId]),
    snapshotMandate(b.mandateId, [b.ownerId, b.adminId, b.memberId]),
  ]);

interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

async function call(route: (typeof routes)[number], mandateId: string, params: readonly (readonly [string, string])[]) {
  const handler = await importRouteHandler(route);
  const { url, context } = routeRequestParts(route.path, { mandateId });
  const search = new URLSearchParams(params.map(([k, v]) => [k, v])).toString();
  const res = await handler(new Request(`${url}${search ? `?${search}` : ""}`, { method: route.method }), context);
  // The export streams: reading the whole body is what makes a failure mid-stream show.
  return { status: res.status, text: await res.text(), headers: res.headers } satisfies Answer;
}

function routeOf(suffix: string) {
  const route = routes.find((r) => r.path === `/api/dashboard/mandates/{mandateId}${suffix}`);
  if (!route) throw new Error(`no dashboard route ${suffix}`);
  return route;
}

/** What a MEMBER of A got may only be their own audit account's rows. */
function expectNoPoolFigure(path: string, answer: Answer) {
  if (path.endsWith("/transactions")) {
    const page = JSON.parse(answer.text) as { items: { accountId: string }[] };
    for (const item of page.items) expect(item.accountId).toBe(memberAuditAccountId);
  } else if (path.endsWith("/count")) {
    expect((JSON.parse(answer.text) as { total: number }).total).toBeLessThanOrEqual(memberRows);
  } else if (path.endsWith("/export")) {
    expect(Number(answer.headers.get("x-total-count"))).toBeLessThanOrEqual(memberRows);
    // Header line, then at most the member's rows.
    expect(answer.text.split("\n").filter((line) => line.trim() !== "").length).toBeLessThanOrEqual(memberRows + 1);
  } else {
    const stats = JSON.parse(answer.text) as { totals: { transactionCount: number } };
    expect(stats.totals.transactionCount).toBeLessThanOrEqual(memberRows);
  }
}

describe("dashboard route fuzz: malformed queries and foreign ids never cause a 5xx, a change or a leak", () => {
  it("finds the four dashboard routes", () => {
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      "GET /api/dashboard/mandates/{mandateId}/statistics",
      "GET /api/dashboard/mandates/{mandateId}/transactions",
      "GET /api/dashboard/mandates/{mandateId}/transactions/count",
      "GET /api/dashboard/mandates/{mandateId}/transactions/export",
    ]);
  });

  it.each(routes)("$method $path", async (route) => {
    const before = await snapshots();
    const params = route.path.endsWith("/statistics") ? fc.oneof(statisticsQuery, query) : query;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TWO_MANDATE_SESSIONS), target, params, async (session, t, search) => {
        signInAs(session, { a, b, platformAdminId });
        const answer = await call(route, mandateIdOf(t), search);
        expect(answer.status, answer.text).toBeLessThan(500);
        if (answer.status >= 400) {
          const body = JSON.parse(answer.text) as { error?: { code?: string } };
          expect(ERROR_CODES).toContain(body.error?.code);
        } else {
          expect(answer.status).toBe(200);
          expect(mayRead(session, t)).toBe(true);
          if (session === "memberA" && t === "A") expectNoPoolFigure(route.path, answer);
        }
        if (!mayRead(session, t)) {
          // 400 for a malformed id or query, 401 signed out; a mandate one is no member of does not exist.
          expect([400, 401, 404]).toContain(answer.status);
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(await snapshots()).toEqual(before);
  });
});

describe("dashboard routes: days and text filters the ledger cannot hold", () => {
  // The last day of year 9999 is a valid YYYY-MM-DD, but the day after it (the `to` filter's
  // exclusive end) is not: refused at the edge, with the field's path.
  it.each(["/transactions", "/transactions/count", "/transactions/export"])(
    "%s?to=9999-12-31 is refused at the edge",
    async (suffix) => {
      signIn(a.ownerId);
      const answer = await call(routeOf(suffix), a.mandateId, [["to", "9999-12-31"]]);
      expect(answer.status, answer.text).toBe(400);
      expect(JSON.parse(answer.text)).toMatchObject({ error: { details: [{ path: "to" }] } });
    },
  );

  // NUL would reach PostgreSQL, which refuses it: the text filters are SafeText.
  it.each(["provider", "model", "feature"])("%s with NUL is refused at the edge with its field path", async (key) => {
    signIn(a.ownerId);
    const answer = await call(routeOf("/transactions"), a.mandateId, [[key, "open\u0000ai"]]);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { details: [{ path: key }] } });
  });
});

describe("dashboard routes: another mandate's data, and what a MEMBER sees", () => {
  const thisYear = String(new Date().getUTCFullYear());
  const statistics = [
    ["period", "YEAR"],
    ["year", thisYear],
  ] as const;

  it.each(["/statistics", "/transactions", "/transactions/count", "/transactions/export"])(
    "%s of mandate B is NOT_FOUND for A's owner, admin and member, and for a signed-out visitor UNAUTHENTICATED",
    async (suffix) => {
      const params = suffix === "/statistics" ? statistics : [];
      for (const userId of [a.ownerId, a.adminId, a.memberId]) {
        signIn(userId);
        const answer = await call(routeOf(suffix), b.mandateId, params);
        expect(answer.status).toBe(404);
        expect(JSON.parse(answer.text)).toMatchObject({ error: { code: "NOT_FOUND" } });
      }
      signIn(null);
      const answer = await call(routeOf(suffix), a.mandateId, params);
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.text)).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    },
  );

  it("gives A's MEMBER only their own rows and usage, even when they name the owner; the owner gets the pool", async () => {
    signIn(a.memberId);
    const asOwner = [["user", a.ownerId]] as const;
    const page = JSON.parse((await call(routeOf("/transactions"), a.mandateId, asOwner)).text) as {
      items: { accountId: string; amount: string }[];
    };
    expect(page.items.map((item) => [item.accountId, item.amount]).sort()).toEqual([
      [memberAuditAccountId, "0.010000"],
      [memberAuditAccountId, "0.020000"],
    ]);
    expect(JSON.parse((await call(routeOf("/transactions/count"), a.mandateId, asOwner)).text)).toEqual({
      total: 2,
      capped: false,
    });
    const csv = await call(routeOf("/transactions/export"), a.mandateId, []);
    expect(csv.headers.get("x-total-count")).toBe("2");
    expect(csv.text.split("\n").filter((line) => line.trim() !== "")).toHaveLength(3);
    // The route reads pending debits only up to a limit; other files' backlog may pass it.
    await waitForRollup([a.mandateId]);
    const stats = JSON.parse((await call(routeOf("/statistics"), a.mandateId, statistics)).text) as {
      totals: { totalCost: string; transactionCount: number };
      breakdown: { byUser: { key: string }[] };
    };
    expect(stats.totals).toMatchObject({ totalCost: "0.030000", transactionCount: 2 });
    // Cost by user: the member's own line only, never the owner's or the pool's rest.
    expect(stats.breakdown.byUser.map((line) => line.key)).toEqual([a.memberId]);

    signIn(a.ownerId);
    const ownerCount = JSON.parse((await call(routeOf("/transactions/count"), a.mandateId, [])).text) as {
      total: number;
    };
    expect(ownerCount.total).toBe(poolRows);
    const ownerStats = JSON.parse((await call(routeOf("/statistics"), a.mandateId, statistics)).text) as {
      totals: { totalCost: string; transactionCount: number };
      breakdown: { byUser: { key: string }[] };
    };
    expect(ownerStats.totals).toMatchObject({ totalCost: "1.230000", transactionCount: 5 });
    expect(ownerStats.breakdown.byUser.map((line) => line.key)).toEqual(
      expect.arrayContaining([a.ownerId, a.memberId]),
    );
  });
});
