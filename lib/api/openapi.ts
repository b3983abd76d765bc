import { OpenApiGeneratorV31, OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { type ApiRoute, errorContent, UNAVAILABLE_RESPONSE } from "./openapi-content";
import { billingRoutes } from "./routes/billing";
import { mandatesRoutes } from "./routes/mandates";
import { reservationRoutes } from "./routes/reservations";
import { storageRoutes } from "./routes/storage";

/**
 * The OpenAPI 3.1 document of the machine API, generated from the same zod schemas the route
 * handlers validate with. Each area lists its routes in lib/api/routes/<area>.ts; a test checks
 * every route handler under app/api/v1 appears here, another lints the document with Redocly's
 * recommended rules (operationId, tags, 4xx responses) so client generators can use it.
 */
/** The document itself: public, so API clients can discover the API before they have a key. */
const documentRoutes: ApiRoute[] = [
  {
    method: "get",
    path: "/api/v1/openapi.json",
    operationId: "getOpenApiDocument",
    tags: ["meta"],
    summary: "This OpenAPI document",
    security: [],
    responses: {
      200: { description: "OpenAPI 3.1 document" },
      406: errorContent("The Accept header admits no JSON (NOT_ACCEPTABLE)"),
    },
  },
];

const routeModules: readonly ApiRoute[][] = [
  documentRoutes,
  billingRoutes,
  reservationRoutes,
  storageRoutes,
  mandatesRoutes,
];

export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV31["generateDocument"]> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "API key created by a platform admin (`npm run api-key -- create`)",
  });
  for (const routes of routeModules) {
    for (const route of routes as readonly ApiRoute[]) {
      // Every operation behind an API key reads the database: it can answer 503 (retry as sent).
      const responses =
        route.security?.length === 0 ? route.responses : { ...route.responses, 503: UNAVAILABLE_RESPONSE };
      registry.registerPath({ security: [{ bearerAuth: [] }], ...route, responses });
    }
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "AI Billing machine API",
      version: "1.0.0",
      description:
        "Billing check, usage debits, storage overage, balance, statistics and transactions for the AI gateway. " +
        "Amounts are decimal strings in CHF with up to 6 decimals. Every request is authenticated first: " +
        "without a valid API key the answer is 401, before the body is read. A 503 SERVICE_UNAVAILABLE " +
        "(with Retry-After) means the database was briefly unavailable: repeat the same request with the " +
        "same idempotency key.",
      // Not open source: an SPDX reference to our own terms (linters and generators expect a licence).
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    tags: [
      { name: "billing", description: "Billing check, reservations and usage debits" },
      { name: "storage", description: "Storage overage reported by the platform" },
      { name: "mandates", description: "Balance, statistics and transactions of a mandate" },
      { name: "meta", description: "This document" },
    ],
    servers: [{ url: "/" }],
  });
}
