"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { bookManualTransaction } from "@/lib/admin/book-manual-transaction";
import { MANUAL_BOOKING_FORM_FIELDS, ManualBookingInput } from "@/lib/admin/manual-booking-schema";
import { requirePlatformAdmin } from "@/lib/auth/require-user";
import { runFormAction } from "@/lib/auth/run-form-action";
import type { FormState } from "@/lib/forms/form-state";
import { readForm } from "@/lib/forms/read-form";
import { grantPlan } from "@/lib/subscriptions/grant-plan";

export type ManualBookingState = FormState<never, { balanceAfter: string; replayed: boolean }>;

/**
 * A manual CREDIT or ADJUSTMENT on the mandate's pool account, booked in the admin's name.
 * The form's idempotency key makes a double submit (or a retried request) book once.
 */
export async function bookManualTransactionAction(
  mandateId: string,
  _prev: ManualBookingState,
  form: FormData,
): Promise<ManualBookingState> {
  const answer = await runFormAction({
    schema: ManualBookingInput,
    input: readForm(form, MANUAL_BOOKING_FORM_FIELDS),
    authorize: requirePlatformAdmin,
    run: async (input, admin) => {
      const booking = await bookManualTransaction({ mandateId, ...input, createdByUserId: admin.id });
      return { balanceAfter: booking.balanceAfter, replayed: booking.replayed };
    },
  });
  if (answer.ok) {
    revalidatePath(`/admin/mandates/${mandateId}`);
    revalidatePath("/admin");
  }
  return answer;
}

export type GrantPlanState = FormState<never, { status: "ACTIVE" | "SCHEDULED"; effectiveFrom: string }>;

const GRANT_PLAN_FORM_FIELDS = { planId: "", reason: "" } as const;

const GrantPlanInput = z.object({
  planId: z.uuid({ error: "plan" }),
  /** Recorded with the subscription, by the rule of a manual booking's reason. */
  reason: ManualBookingInput.shape.reason,
});

/**
 * Grants a plan without Stripe (an invoiced customer), in the admin's name: ACTIVE at once with
 * its AI budget credited, or SCHEDULED from the end of the running period.
 */
export async function grantPlanAction(
  mandateId: string,
  _prev: GrantPlanState,
  form: FormData,
): Promise<GrantPlanState> {
  const answer = await runFormAction({
    schema: GrantPlanInput,
    input: readForm(form, GRANT_PLAN_FORM_FIELDS),
    authorize: requirePlatformAdmin,
    run: async (input, admin) => {
      const granted = await grantPlan({ mandateId, ...input, grantedByUserId: admin.id });
      return { status: granted.status, effectiveFrom: granted.effectiveFrom.toISOString() };
    },
    // The page exists only for a known mandate, so NOT_FOUND here is the plan (deactivated meanwhile).
    fieldsByCode: { NOT_FOUND: { planId: { code: "planUnavailable" } } },
  });
  if (answer.ok) {
    revalidatePath(`/admin/mandates/${mandateId}`);
    revalidatePath("/admin");
  }
  return answer;
}
