"use server";

import { revalidatePath } from "next/cache";
import { requireMember } from "@/lib/auth/require-member";
import { readForm } from "@/lib/forms/read-form";
import {
  BILLING_SETTINGS_FORM_FIELDS,
  BillingSettingsInput,
  formValuesToInput,
  type BillingSettingsFormState,
} from "@/lib/settings/billing-settings-schema";
import { fieldErrors, toFormState } from "@/lib/forms/form-state";
import { updateBillingSettings } from "@/lib/settings/update-billing-settings";

/** Saves the billing settings form (HOUSE_STYLE §3). ADMIN or OWNER of the mandate in the URL. */
export async function saveBillingSettingsAction(
  mandateId: string,
  _prev: BillingSettingsFormState,
  form: FormData,
): Promise<BillingSettingsFormState> {
  const values = readForm(form, BILLING_SETTINGS_FORM_FIELDS);
  const input = formValuesToInput(values);
  const parsed = BillingSettingsInput.safeParse(input);
  if (!parsed.success) {
    return { ok: false, code: "VALIDATION_FAILED", fields: fieldErrors(parsed.error, input), values, at: Date.now() };
  }
  let changed: number;
  try {
    const member = await requireMember(mandateId, "ADMIN"); // OWNER passes too
    const result = await updateBillingSettings({ mandateId, changedByUserId: member.userId, settings: parsed.data });
    changed = result.changes.length;
  } catch (err) {
    return { ...toFormState(err), values };
  }
  revalidatePath(`/mandates/${mandateId}/settings`);
  return { ok: true, result: { changed }, at: Date.now() };
}
