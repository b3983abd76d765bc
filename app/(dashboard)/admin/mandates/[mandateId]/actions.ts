"use server";

import { revalidatePath } from "next/cache";
import { bookManualTransaction } from "@/lib/admin/book-manual-transaction";
import { readForm } from "@/lib/forms/read-form";
import { MANUAL_BOOKING_FORM_FIELDS, ManualBookingInput } from "@/lib/admin/manual-booking-schema";
import { runPlatformAdminAction } from "@/lib/admin/run-platform-admin-action";
import type { FormState } from "@/lib/forms/form-state";

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
  const result = await runPlatformAdminAction(
    ManualBookingInput,
    readForm(form, MANUAL_BOOKING_FORM_FIELDS),
    async (input, admin) => {
      const booking = await bookManualTransaction({ mandateId, ...input, createdByUserId: admin.id });
      return { balanceAfter: booking.balanceAfter, replayed: booking.replayed };
    },
  );
  if (result.ok) {
    revalidatePath(`/admin/mandates/${mandateId}`);
    revalidatePath("/admin");
  }
  return result;
}
