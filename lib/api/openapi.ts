import { OpenApiGeneratorV31, OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { ApiRoute } from "./openapi-content";
import { billingRoutes } from "./routes/billing";
import { mandatesRoutes } from "./routes/mandates";
import { reservationRoutes } from "./routes/reservations";
import { storageRoutes } from "./routes/storage";

/**
 * The OpenAPI 3.1 document of the machine API, generated from the same zod schemas the route
 * handlers validate with. Each area lists its routes in lib/api/routes/<area>.ts; a test checks
 * every route handler under app/api/v1 appears here.
 */
/** The document itself: public, so API clients can discover the API before they have a key. */
const documentRoutes: ApiRoute[] = [
  {
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This OpenAPI document",
    security: [],
    responses: { 200: { description: "OpenAPI 3.1 document" } },
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
    for (const route of routes as readonly ApiRoute[])
      registry.registerPath({ security: [{ bearerAuth: [] }], ...route });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "AI Billing machine API",
      version: "1.0.0",
      description:
        "Billing check, usage debits, storage overage, balance, statistics and transactions for the AI gateway. " +
        "Amounts are decimal strings in CHF with up to 6 decimals.",
    },
    servers: [{ url: "/" }],
  });
}
