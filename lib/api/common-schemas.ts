import { z } from "zod";
import { ERROR_CODES } from "@/lib/errors";

/**
 * Building blocks shared by the API's request/response schemas. One schema serves the route
 * (validation), the dashboard form (where it applies) and the OpenAPI document.
 */

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });
