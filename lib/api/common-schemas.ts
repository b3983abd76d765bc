import { z } from "zod";
import { ERROR_CODES } from "@/lib/errors";

/**
 * Building blocks shared by the API's request/response schemas. One schema serves the route
 * (validation), the dashboard form (where it applies) and the OpenAPI document.
 */

export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, "must be 1-200 printable ASCII characters")
  .meta({ description: "Unique per mandate and operation; a retry with the same key books nothing new" });

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });
