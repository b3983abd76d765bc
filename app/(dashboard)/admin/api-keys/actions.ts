"use server";

import { revalidatePath } from "next/cache";
import { CREATE_API_KEY_FORM_FIELDS, CreateApiKeyInput, RevokeApiKeyInput } from "@/lib/admin/api-key-schema";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { requirePlatformAdmin } from "@/lib/auth/require-user";
import { runFormAction } from "@/lib/auth/run-form-action";
import type { FormAnswer, FormState } from "@/lib/forms/form-state";
import { readForm } from "@/lib/forms/read-form";

/** Carries the key itself: this answer is the only time it leaves the server. */
export type CreateApiKeyState = FormState<never, { key: string; name: string }>;

export async function createApiKeyAction(_prev: CreateApiKeyState, form: FormData): Promise<CreateApiKeyState> {
  const answer = await runFormAction({
    schema: CreateApiKeyInput,
    input: readForm(form, CREATE_API_KEY_FORM_FIELDS),
    authorize: requirePlatformAdmin,
    run: async (input, admin) => {
      const created = await createApiKey({ ...input, createdByUserId: admin.id });
      return { key: created.key, name: created.name };
    },
    // createApiKey's only NOT_FOUND is a mandate deleted since the form was rendered.
    fieldsByCode: { NOT_FOUND: { scope: { code: "mandateNotFound" } } },
  });
  if (answer.ok) revalidatePath("/admin/api-keys");
  return answer;
}

export type RevokeApiKeyState = FormAnswer<never, { revoked: true }>;

export async function revokeApiKeyAction(id: string): Promise<RevokeApiKeyState> {
  const answer = await runFormAction({
    schema: RevokeApiKeyInput,
    input: { id },
    authorize: requirePlatformAdmin,
    run: async (input) => {
      await revokeApiKey(input.id);
      return { revoked: true as const };
    },
    fieldsByCode: { NOT_FOUND: { id: { code: "apiKey" } } },
  });
  // Also after NOT_FOUND: the key was most likely revoked meanwhile, and the list should say so.
  revalidatePath("/admin/api-keys");
  return answer;
}
