"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireMember } from "@/lib/auth/require-member";
import { runFormAction } from "@/lib/auth/run-form-action";
import { isDomainError } from "@/lib/errors";
import type { FormAnswer, FormState } from "@/lib/forms/form-state";
import { readForm } from "@/lib/forms/read-form";
import { cancelSubscription, openBillingPortal, startPlanCheckout } from "@/lib/subscriptions/stripe-subscriptions";

/** What the plan buttons' actions answer: a failure to show inline; success leaves for Stripe or reloads. */
export type PlanFormState = FormState<never, { url: string }>;

const ChoosePlanInput = z.object({ planId: z.uuid({ error: "plan" }) });
const NoInput = z.object({});

/**
 * An OWNER chooses a plan (HOUSE_STYLE §3): Stripe Checkout in subscription mode, or, while a
 * plan runs, a plan change from the period's end (the domain answers the plans page's URL then).
 * A plan that is not offered (any more) is the plan field's error, like a malformed id.
 */
export async function choosePlanAction(
  mandateId: string,
  _prev: PlanFormState,
  form: FormData,
): Promise<PlanFormState> {
  const answer = await runFormAction({
    schema: ChoosePlanInput,
    input: readForm(form, { planId: "" }),
    authorize: () => requireMember(mandateId, "OWNER"),
    run: async (input, member) => {
      try {
        const { checkoutUrl } = await startPlanCheckout({
          mandateId,
          planId: input.planId,
          userId: member.userId,
          origin: appOrigin(),
        });
        return { url: checkoutUrl };
      } catch (err) {
        // Past authorize, the mandate is the member's: NOT_FOUND can only be the plan.
        if (isDomainError(err, "NOT_FOUND")) return null;
        throw err;
      }
    },
  });
  if (!answer.ok) return answer;
  if (!answer.result) {
    return { ok: false, code: "VALIDATION_FAILED", fields: { planId: { code: "plan" } }, at: Date.now() };
  }
  // Outside runFormAction's try: redirect() throws to navigate.
  revalidatePath(`/mandates/${mandateId}`, "layout");
  redirect(answer.result.url);
}

/** The OWNER cancels at the period's end; the plan stays operative until then. */
export async function cancelPlanAction(mandateId: string): Promise<FormAnswer<never, { cancelled: true }>> {
  const answer = await runFormAction({
    schema: NoInput,
    input: {},
    authorize: () => requireMember(mandateId, "OWNER"),
    run: async (_input, member) => {
      await cancelSubscription({ mandateId, userId: member.userId });
      return { cancelled: true as const };
    },
  });
  if (answer.ok) revalidatePath(`/mandates/${mandateId}`, "layout");
  return answer;
}

/** The OWNER opens Stripe's customer portal (card, invoices), which returns to the plans page. */
export async function openPortalAction(
  mandateId: string,
  _prev: PlanFormState,
  _form: FormData,
): Promise<PlanFormState> {
  const answer = await runFormAction({
    schema: NoInput,
    input: {},
    authorize: () => requireMember(mandateId, "OWNER"),
    run: () => openBillingPortal({ mandateId, origin: appOrigin() }),
  });
  if (answer.ok && answer.result) redirect(answer.result.url);
  return answer;
}

/**
 * Stripe's redirects point at the app's public address (NEXTAUTH_URL, which `npm start` sets),
 * never at the request's Host header, which a client chooses.
 */
function appOrigin(): string {
  const url = process.env.NEXTAUTH_URL;
  if (!url) throw new Error("NEXTAUTH_URL is not set: Stripe has no address to return to");
  return new URL(url).origin;
}
