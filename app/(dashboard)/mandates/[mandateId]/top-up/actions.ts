"use server";

import { redirect } from "next/navigation";
import type { TopUpFormState } from "@/components/payments/top-up-form";
import { requireMember } from "@/lib/auth/require-member";
import { runFormAction } from "@/lib/auth/run-form-action";
import { readForm } from "@/lib/forms/read-form";
import { startTopUp } from "@/lib/payments/start-top-up";
import { TOP_UP_FORM_FIELDS, topUpInput } from "@/lib/payments/top-up-schema";
import { topUpLimits } from "@/lib/payments/top-up-limits";

/**
 * Starts a card top-up (HOUSE_STYLE §3) and sends the browser to Stripe's checkout page. ADMIN or
 * OWNER of the mandate in the URL; the pool is credited later, by the one fulfilment, never here.
 */
export async function startTopUpAction(
  mandateId: string,
  _prev: TopUpFormState,
  form: FormData,
): Promise<TopUpFormState> {
  const values = readForm(form, TOP_UP_FORM_FIELDS);
  const answer = await runFormAction({
    schema: topUpInput(topUpLimits()),
    input: values,
    values,
    authorize: () => requireMember(mandateId, "ADMIN"), // OWNER passes too
    run: (input, member) => startTopUp({ ...input, mandateId, userId: member.userId, origin: appOrigin() }),
  });
  // Outside runFormAction's try: redirect() throws to navigate.
  if (answer.ok && answer.result) redirect(answer.result.checkoutUrl);
  return answer;
}

/**
 * Stripe's success and cancel redirects point at the app's public address (NEXTAUTH_URL, which
 * `npm start` sets), never at the request's Host header, which a client chooses.
 */
function appOrigin(): string {
  const url = process.env.NEXTAUTH_URL;
  if (!url) throw new Error("NEXTAUTH_URL is not set: the top-up has no address to return to");
  return new URL(url).origin;
}
