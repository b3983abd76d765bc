import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES } from "@/lib/errors";
import { createTestApiKey } from "@/testing/api-client";
import { countBookings } from "@/testing/booking-counts";
import { importRouteHandler, routeHandlerFiles, routeRequestParts } from "@/testing/route-handlers";
import { sampleUsageEvent } from "@/testing/sample-usage-event";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";

/**
 * Property: whatever malformed body, header or query string reaches a machine-API handler with a
 * valid key, the answer is below 500, an error is the one `{ error: { code } }` body, and nothing
 * is booked. Every generated body breaks at least one field (or is no valid request at all), so
 * any booking or reservation on the test mandate is a failure. Bounded: RUNS per route, seconds in all.
 */
const RUNS = 100;

let m: TestMandate;
let key: string;
beforeAll(async () => {
  m = await createTestMandate({ balance: "5" });
  key = await createTestApiKey(null);
});

const bookedOnMandate = () => countBookings(m.mandateId);

// ---------------------------------------------------------------------------------------------
// Values that are wrong for a field of each kind, whatever else the request holds.

const badText = fc.oneof(
  fc.string().map((s) => `${s}\u0000${s}`),
  fc.string().map((s) => `${s}\ud800`),
  fc.string().map((s) => `\udfff${s}`),
  fc.constantFrom("\u0007", "a\u001bb", "\u007f", "line\nbreak", "x".repeat(100_000)),
);
const badMoney = fc.oneof(
  fc.constantFrom("abc", "1e5", "NaN", "Infinity", "-1", "0x10", "1,5", " 1", "１", "1.1234567", "9".repeat(40), ""),
  fc.string().filter((s) => !/^\d+(\.\d+)?$/.test(s)),
  fc.double(),
  fc.constant(null),
);
const badDate = fc.oneof(
  fc.constantFrom(
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "1999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-23:59",
    "10000-01-01T00:00:00Z",
    "+275760-09-13T00:00:00Z",
    "2026-11-15T08:00:00+99:99",
    "2026-13-01T00:00:00Z",
    "2026-11-15",
    "yesterday",
    "2026-11-15T08:00:00\u0000Z",
  ),
  fc
    .date({ noInvalidDate: true })
    .filter((d) => d.getUTCFullYear() < 2000 || d.getUTCFullYear() > 2999)
    .map((d) => d.toISOString()),
  fc.integer(),
);
const badCount = fc.oneof(
  fc.constantFrom(-1, 1.5, 2 ** 53, 1e308, "1", "NaN", true),
  // Not NaN or ±Infinity: JSON sends them as null, which an optional count accepts.
  fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
);
const badId = fc.oneof(
  fc.constantFrom("not-a-uuid", "", "00000000-0000-0000-0000-00000000000g"),
  badText,
  fc.integer(),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });

type Kind = "text" | "money" | "date" | "count" | "id" | "any";
const BAD: Record<Kind, fc.Arbitrary<unknown>> = {
  text: badText,
  money: badMoney,
  date: badDate,
  count: badCount,
  id: badId,
  any: fc.oneof(badText, badMoney, fc.array(anyJson, { maxLength: 3 }), fc.dictionary(fc.string(), anyJson)),
};

const USAGE_FIELDS: Record<string, Kind> = {
  mandateId: "id",
  userId: "id",
  idempotencyKey: "text",
  reservationId: "id",
  amount: "money",
  provider: "text",
  model: "text",
  featureCode: "text",
  featureInstanceId: "text",
  workflowId: "text",
  processingTime: "text",
  bytesSent: "count",
  bytesReceived: "count",
  errorCount: "count",
  occurredAt: "date",
};

/** A request that is valid but for 1-3 fields given wrong values of their kind (or an unknown field). */
function corrupted(valid: () => Record<string, unknown>, fields: Record<string, Kind>) {
  const entries = Object.entries(fields);
  return fc
    .array(
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .constantFrom(...entries)
            .chain(([field, kind]) => BAD[kind].map((value) => [field, value] as const)),
        },
        {
          weight: 1,
          arbitrary: fc.tuple(
            fc.string({ minLength: 1 }).filter((k) => !(k in fields)),
            anyJson,
          ),
        },
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((changes) => ({ ...valid(), ...Object.fromEntries(changes) }));
}

const BODIES: Record<string, () => fc.Arbitrary<unknown>> = {
  "/api/v1/billing/usage": () => corrupted(() => sampleUsageEvent(m.mandateId), USAGE_FIELDS),
  "/api/v1/billing/usage/batch": () =>
    fc.oneof(
      corrupted(() => ({ events: [sampleUsageEvent(m.mandateId)] }), { events: "any" }).map((body) => ({
        ...body,
        // An unknown envelope field or a broken events array: the whole batch is refused.
        extra: 1,
      })),
      fc
        .array(
          corrupted(() => sampleUsageEvent(m.mandateId), USAGE_FIELDS),
          { minLength: 1, maxLength: 5 },
        )
        .map((events) => ({ events })),
    ),
  "/api/v1/billing/check": () =>
    corrupted(() => ({ mandateId: m.mandateId, estimatedCost: "0.01", reserve: true, idempotencyKey: randomUUID() }), {
      mandateId: "id",
      userId: "id",
      estimatedCost: "money",
      provider: "text",
      reserve: "text",
      reservationTtlSeconds: "count",
      idempotencyKey: "text",
      locale: "text",
    }),
  "/api/v1/billing/storage": () =>
    // Volume 0 owes nothing, so even an accepted report would book nothing: the storage schema
    // strips unknown fields, and those are not the point here.
    corrupted(() => ({ mandateId: m.mandateId, volumeMB: "0" }), {
      mandateId: "id",
      volumeMB: "money",
      idempotencyKey: "text",
      reportedAt: "date",
      periodStart: "date",
    }),
  "/api/v1/billing/reservations/{reservationId}/release": () =>
    corrupted(() => ({ mandateId: m.mandateId }), { mandateId: "id" }),
};

/** The body as sent: JSON of the generated value, or (now and then) raw text that is no JSON. */
const rawBody = (path: string) =>
  fc.oneof(
    { weight: 8, arbitrary: (BODIES[path]?.() ?? anyJson).map((body) => JSON.stringify(body)) },
    { weight: 1, arbitrary: fc.string({ unit: "binary" }) },
    { weight: 1, arbitrary: fc.constantFrom("", "{", "null", "[]", '{"mandateId":', "\u0000") },
  );

const QUERY_KEYS = ["period", "year", "month", "limit", "cursor", "type", "referenceType", "provider", "model"];
const query = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom(...QUERY_KEYS, "featureCode", "userId", "from", "to"), fc.string()),
    fc.oneof(badText, badDate.map(String), badMoney.map(String), fc.string({ unit: "binary" })),
  ),
  { maxLength: 4 },
);
const headers = fc.record({
  "content-type": fc.oneof(
    fc.constant("application/json"),
    fc.constantFrom("application/json; charset=utf-16", "APPLICATION/JSON", "text/plain", "", "application/jsonx"),
  ),
  "content-length": fc.option(fc.constantFrom("0", "-1", "abc", "1e9", "99999999999999999999"), { nil: undefined }),
  "x-request-id": fc.option(fc.string({ unit: "grapheme-ascii", maxLength: 50 }), { nil: undefined }),
});
const pathParam = fc.oneof(
  { weight: 3, arbitrary: fc.constant("own") },
  { weight: 1, arbitrary: fc.oneof(badId.map(String), fc.constant(randomUUID())) },
);

const routes = routeHandlerFiles();

describe("route fuzz: malformed requests never cause a 5xx nor a booking", () => {
  it.each(routes)("$method $path", async (route) => {
    const handler = await importRouteHandler(route);
    const before = await bookedOnMandate();
    await fc.assert(
      fc.asyncProperty(rawBody(route.path), query, headers, pathParam, async (body, params, head, param) => {
        const value = param === "own" ? m.mandateId : param;
        const { url, context } = routeRequestParts(route.path, { mandateId: value, reservationId: value });
        const search = new URLSearchParams(params).toString();
        const sent: Record<string, string> = { authorization: `Bearer ${key}` };
        for (const [name, v] of Object.entries(head)) if (v !== undefined) sent[name] = v;
        const res = await handler(
          new Request(`${url}${search ? `?${search}` : ""}`, {
            method: route.method,
            headers: sent,
            ...(route.method === "GET" ? {} : { body }),
          }),
          context,
        );
        expect(res.status).toBeLessThan(500);
        const text = await res.text();
        if (res.status >= 400) {
          const answer = JSON.parse(text) as { error?: { code?: string } };
          expect(ERROR_CODES).toContain(answer.error?.code);
        }
        // Checked per request, so that a booking shows the request that made it.
        if (route.method !== "GET") expect(await bookedOnMandate(), text).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });
});
