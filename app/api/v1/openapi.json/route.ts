import { buildOpenApiDocument } from "@/lib/api/openapi";
import { DomainError } from "@/lib/errors";
import { acceptsJson } from "@/lib/http/accepts-json";
import { errorResponse } from "@/lib/http/error-response";

// Generated from the zod schemas the handlers validate with; built once per server process.
let document: ReturnType<typeof buildOpenApiDocument> | undefined;

/** Public. The document exists as JSON only: a client that accepts no JSON gets 406. */
export function GET(req: Request): Response {
  if (!acceptsJson(req.headers.get("accept"))) {
    return errorResponse(new DomainError("NOT_ACCEPTABLE", "The OpenAPI document is served as application/json"));
  }
  document ??= buildOpenApiDocument();
  return Response.json(document);
}
