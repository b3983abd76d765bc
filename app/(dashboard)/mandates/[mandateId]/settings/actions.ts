"use server";

import { revalidatePath } from "next/cache";
import { requireMember } from "@/lib/auth/require-member";
import { runFormAction } from "@/lib/auth/run-form-action";
import { readForm } from "@/lib/forms/read-form";
import {
  BILLING_SETTINGS_FORM_FIELDS,
  formValuesToInput,
  SaveBillingSettingsInput,
  type BillingSettingsFormState,
} from "@/lib/settings/billing-settings-schema";
import { updateBillingSettings } from "@/lib/settings/update-billing-settings";

/** Saves the billing settings form (HOUSE_STYLE §3). ADMIN or OWNER of the mandate in the URL. */
export async function saveBillingSettingsAction(
  mandateId: string,
  _prev: BillingSettingsFormState,
  form: FormData,
): Promise<BillingSettingsFormState> {
  const values = readForm(form, BILLING_SETTINGS_FORM_FIELDS);
  // The version the form was loaded with: a save from a stale form is refused, not applied.
  const { settingsVersion } = readForm(form, { settingsVersion: "" });
  const answer = await runFormAction({
    schema: SaveBillingSettingsInput,
    input: { ...formValuesToInput(values), settingsVersion },
    values,
    authorize: () => requireMember(mandateId, "ADMIN"), // OWNER passes too
    fieldsByCode: { NO_SAVED_CARD: { autoRechargeEnabled: { code: "noSavedCard" } } },
    run: async ({ settingsVersion: expectedVersion, ...settings }, member) => {
      const result = await updateBillingSettings({
        mandateId,
        changedByUserId: member.userId,
        settings,
        expectedVersion,
      });
      return { changed: result.changes.length };
    },
  });
  if (answer.ok) revalidatePath(`/mandates/${mandateId}/settings`);
  return answer;
}
