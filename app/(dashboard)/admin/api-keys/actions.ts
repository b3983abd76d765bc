"use server";

import { revalidatePath } from "next/cache";
import { CREATE_API_KEY_FORM_FIELDS, CreateApiKeyInput, RevokeApiKeyInput } from "@/lib/admin/api-key-schema";
import { readForm } from "@/lib/forms/read-form";
import { runPlatformAdminAction, type AdminActionResult } from "@/lib/admin/run-platform-admin-action";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import type { FormState } from "@/lib/forms/form-state";

/** Carries the key itself: this answer is the only time it leaves the server. */
export type CreateApiKeyState = FormState<never, { key: string; name: string }>;

export async function createApiKeyAction(_prev: CreateApiKeyState, form: FormData): Promise<CreateApiKeyState> {
  const result = await runPlatformAdminAction(
    CreateApiKeyInput,
    readForm(form, CREATE_API_KEY_FORM_FIELDS),
    async (input, admin) => {
      const created = await createApiKey({ ...input, createdByUserId: admin.id });
      return { key: created.key, name: created.name };
    },
    // createApiKey's only NOT_FOUND is a mandate deleted since the form was rendered.
    { NOT_FOUND: { scope: { code: "mandateNotFound" } } },
  );
  if (result.ok) revalidatePath("/admin/api-keys");
  return result;
}

export type RevokeApiKeyState = AdminActionResult<{ revoked: true }>;

export async function revokeApiKeyAction(id: string): Promise<RevokeApiKeyState> {
  const result = await runPlatformAdminAction(
    RevokeApiKeyInput,
    { id },
    async (input) => {
      await revokeApiKey(input.id);
      return { revoked: true as const };
    },
    { NOT_FOUND: { id: { code: "apiKey" } } },
  );
  // Also after NOT_FOUND: the key was most likely revoked meanwhile, and the list should say so.
  revalidatePath("/admin/api-keys");
  return result;
}
