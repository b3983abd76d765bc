import { z } from "zod";
import { AdminFormName } from "./admin-form-name";
import { isUuid } from "@/lib/ids/uuid";

/**
 * The API key forms on /admin/api-keys. `scope` is the select's value: PLATFORM_SCOPE or a
 * mandate id. Messages are codes of `billing:admin.validation.<code>`. Safe in the browser.
 */
export const PLATFORM_SCOPE = "platform";

/** The create form's fields (lib/forms/read-form.ts). */
export const CREATE_API_KEY_FORM_FIELDS = { name: "", scope: "" } as const;

export const CreateApiKeyInput = z
  .object({
    name: AdminFormName,
    scope: z
      .string({ error: "scope" })
      .refine((value) => value === PLATFORM_SCOPE || isUuid(value), { error: "scope" }),
  })
  .transform(({ name, scope }) => ({ name, mandateId: scope === PLATFORM_SCOPE ? null : scope }));

export type CreateApiKeyInput = z.output<typeof CreateApiKeyInput>;

/** The revoke confirmation: which key. */
export const RevokeApiKeyInput = z.object({ id: z.uuid({ error: "apiKey" }) });
