import { buildOpenApiDocument } from "@/lib/api/openapi";

// Generated from the zod schemas the handlers validate with; built once per server process.
let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export function GET(): Response {
  document ??= buildOpenApiDocument();
  return Response.json(document);
}
