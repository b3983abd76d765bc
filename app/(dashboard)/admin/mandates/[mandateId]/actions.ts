"use server";

import { revalidatePath } from "next/cache";
import { bookManualTransaction } from "@/lib/admin/book-manual-transaction";
import { MANUAL_BOOKING_FORM_FIELDS, ManualBookingInput } from "@/lib/admin/manual-booking-schema";
import { requirePlatformAdmin } from "@/lib/auth/require-user";
import { runFormAction } from "@/lib/auth/run-form-action";
import type { FormState } from "@/lib/forms/form-state";
import { readForm } from "@/lib/forms/read-form";

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
