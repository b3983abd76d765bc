"use server";

import { revalidatePath } from "next/cache";
import { CREATE_MANDATE_FORM_FIELDS, CreateMandateInput } from "@/lib/admin/create-mandate-schema";
import { readForm } from "@/lib/forms/read-form";
import { runPlatformAdminAction } from "@/lib/admin/run-platform-admin-action";
import type { FormState } from "@/lib/forms/form-state";
import { createMandate } from "@/lib/mandates/create-mandate";

export type CreateMandateState = FormState<never, { mandateId: string; name: string }>;

/** The "create mandate" form on /admin. Only the named owner becomes a member, never the admin. */
export async function createMandateAction(_prev: CreateMandateState, form: FormData): Promise<CreateMandateState> {
  const result = await runPlatformAdminAction(
    CreateMandateInput,
    readForm(form, CREATE_MANDATE_FORM_FIELDS),
    async (input) => {
      const { mandateId } = await createMandate({
        name: input.name,
        ownerEmail: input.ownerEmail,
        allowedProviders: input.allowedProviders,
      });
      return { mandateId, name: input.name };
    },
    // createMandate's only NOT_FOUND is an owner e-mail without a user.
    { NOT_FOUND: { ownerEmail: { code: "ownerNotFound" } } },
  );
  if (result.ok) revalidatePath("/admin");
  return result;
}
