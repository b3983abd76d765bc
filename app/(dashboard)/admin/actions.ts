"use server";

import { revalidatePath } from "next/cache";
import { CREATE_MANDATE_FORM_FIELDS, CreateMandateInput } from "@/lib/admin/create-mandate-schema";
import { requirePlatformAdmin } from "@/lib/auth/require-user";
import { runFormAction } from "@/lib/auth/run-form-action";
import type { FormState } from "@/lib/forms/form-state";
import { readForm } from "@/lib/forms/read-form";
import { createMandate } from "@/lib/mandates/create-mandate";

export type CreateMandateState = FormState<never, { mandateId: string; name: string }>;

/** The "create mandate" form on /admin. Only the named owner becomes a member, never the admin. */
export async function createMandateAction(_prev: CreateMandateState, form: FormData): Promise<CreateMandateState> {
  const answer = await runFormAction({
    schema: CreateMandateInput,
    input: readForm(form, CREATE_MANDATE_FORM_FIELDS),
    authorize: requirePlatformAdmin,
    run: async (input) => {
      const { mandateId } = await createMandate({
        name: input.name,
        ownerEmail: input.ownerEmail,
        allowedProviders: input.allowedProviders,
      });
      return { mandateId, name: input.name };
    },
    // createMandate's only NOT_FOUND is an owner e-mail without a user.
    fieldsByCode: { NOT_FOUND: { ownerEmail: { code: "ownerNotFound" } } },
  });
  if (answer.ok) revalidatePath("/admin");
  return answer;
}
