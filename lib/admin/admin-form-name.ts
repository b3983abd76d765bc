import { z } from "zod";
import { isSafeText } from "@/lib/api/safe-text";

/**
 * A name typed into a platform admin's form (a mandate's, an API key's): 2-100 characters after
 * trimming, none of them a control character. Messages are codes of
 * `billing:admin.validation.<code>`. Safe in the browser.
 */
export const AdminFormName = z
  .string({ error: "nameLength" })
  .trim()
  .min(2, { error: "nameLength" })
  .max(100, { error: "nameLength" })
  .refine(isSafeText, { error: "invalid" });
