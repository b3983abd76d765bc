import type { z } from "zod";
import { DomainError, zodDetails } from "@/lib/errors";

/** Large enough for a batch of 1,000 usage events; anything bigger is refused before parsing. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Reads a JSON request body: 415 for another content type, 413 over the limit (checked on the
 * bytes actually read, not only the header), 400 for broken JSON or input the schema rejects.
 */
export async function parseJson<S extends z.ZodType>(
  req: Request,
  schema: S,
  opts: { maxBytes?: number } = {},
): Promise<z.infer<S>> {
  const maxBytes = opts.maxBytes ?? MAX_BODY_BYTES;
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new DomainError("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readLimited(req, maxBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DomainError("INVALID_JSON", "Request body is not valid JSON");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new DomainError("VALIDATION_FAILED", "Invalid request", zodDetails(parsed.error));
  return parsed.data;
}

/** Parses query parameters with the same kind of schema (400 with field paths on failure). */
export function parseQuery<S extends z.ZodType>(url: string | URL, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(url).searchParams.entries());
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new DomainError("VALIDATION_FAILED", "Invalid query", zodDetails(parsed.error));
  return parsed.data;
}

async function readLimited(req: Request, maxBytes: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError("PAYLOAD_TOO_LARGE", `Request body exceeds ${maxBytes} bytes`);
}
