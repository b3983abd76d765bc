import { z } from "zod";
import { AdminFormName } from "./admin-form-name";
import { emailAddress } from "@/lib/users/email-address";

/**
 * The "create mandate" form on /admin, shared by the form (checks before sending) and the
 * server action (the check that counts). Messages are codes of `billing:admin.validation.<code>`.
 * Safe in the browser: no server imports.
 */
export const AI_PROVIDERS = ["anthropic", "openai", "mistral", "google"] as const;
export type AiProvider = (typeof AI_PROVIDERS)[number];

/** The form's fields (lib/forms/read-form.ts): the providers are a checkbox group. */
export const CREATE_MANDATE_FORM_FIELDS = { name: "", ownerEmail: "", allowedProviders: [] } as const;

export const CreateMandateInput = z.object({
  name: AdminFormName,
  /** An existing user who becomes OWNER; empty: the mandate starts without members. */
  ownerEmail: z
    .string()
    .optional()
    .transform((value) => value?.trim() || undefined)
    .pipe(emailAddress().optional())
    .transform((value) => value ?? null),
  /** Empty: every provider is allowed (the mandate's rule, see schema.prisma). */
  allowedProviders: z
    .array(z.enum(AI_PROVIDERS, { error: "provider" }))
    .optional()
    .transform((value) => [...new Set(value ?? [])]),
});

export type CreateMandateInput = z.output<typeof CreateMandateInput>;
