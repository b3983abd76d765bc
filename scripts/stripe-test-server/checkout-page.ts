import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "./api";
import { TEST_CARDS } from "./cards";
import { StripeApiError } from "./errors";
import { parseStripeForm } from "./form-encoding";
import { payCheckoutSession } from "./resources/checkout-payment";
import { currentCheckoutSession } from "./resources/checkout-sessions";
import type { StripeState } from "./state";
import type { CheckoutSession } from "./types";
import { escapeHtml, formatAmount, page, redirect, send } from "./html";

function checkoutForm(session: CheckoutSession, state: StripeState, error?: string): string {
  const extras = state.store.checkoutExtras.get(session.id);
  const subscription = extras?.subscription;
  // A subscription always keeps the card for its renewals.
  const saves = subscription !== undefined || (extras?.paymentIntentData.setupFutureUsage ?? null) !== null;
  const name = extras?.lineItems.map((item) => item.name).join(", ") ?? "";
  const price = subscription ? state.store.prices.get(subscription.price) : undefined;
  const recurring = price?.recurring
    ? `<p id="recurring">Then ${escapeHtml(formatAmount(price.unit_amount * (subscription?.quantity ?? 1), price.currency))} per ${escapeHtml(price.recurring.interval)}${
        subscription?.trialPeriodDays ? `, after a ${subscription.trialPeriodDays}-day free trial` : ""
      }.</p>`
    : "";
  return page(
    "Test checkout",
    `<h1>Test checkout</h1>
<p>${escapeHtml(name)}</p>
<p id="amount"><strong>${escapeHtml(formatAmount(session.amount_total, session.currency))}</strong></p>
${recurring}
${error ? `<p class="error" role="alert" id="error">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/checkout/${escapeHtml(session.id)}/pay">
<label for="card">Card number</label>
<input id="card" name="card" inputmode="numeric" autocomplete="cc-number" value="4242 4242 4242 4242">
${saves ? `<p class="note" id="save-note">This card will be saved for future payments.</p>` : ""}
<button id="pay" type="submit">Pay</button>
<button id="cancel" type="submit" formaction="/checkout/${escapeHtml(session.id)}/cancel">Cancel</button>
</form>
<p class="note">Offline Stripe test server. Test cards: ${TEST_CARDS.visa} succeeds, ${TEST_CARDS.declined} is declined,
${TEST_CARDS.async} pays later, ${TEST_CARDS.authenticationRequired} needs authentication off-session.</p>`,
  );
}

function closedPage(session: CheckoutSession): string {
  const text =
    session.status === "complete" ? "This checkout session is complete." : "This checkout session has expired.";
  return page("Test checkout", `<h1>Test checkout</h1><p id="closed">${escapeHtml(text)}</p>`);
}

/** The hosted checkout page and receipts; answers false when the path is not one of them. */
export async function handlePage(
  state: StripeState,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<boolean> {
  const receipt = /^\/receipts\/([^/]+)$/.exec(pathname);
  if (receipt && req.method === "GET") {
    const charge = state.store.charges.get(decodeURIComponent(receipt[1] ?? ""));
    if (!charge) {
      send(res, 404, page("Receipt", "<p>No such receipt.</p>"));
      return true;
    }
    const card = charge.payment_method_details.card;
    send(
      res,
      200,
      page(
        "Receipt",
        `<h1>Receipt</h1><p>Amount paid: ${escapeHtml(formatAmount(charge.amount, charge.currency))}</p>
<p>Refunded: ${escapeHtml(formatAmount(charge.amount_refunded, charge.currency))}</p>
<p>Card: ${escapeHtml(card.brand)} •••• ${escapeHtml(card.last4)}</p>
<p>Date: ${new Date(charge.created * 1000).toISOString()}</p><p>Charge: ${escapeHtml(charge.id)}</p>`,
      ),
    );
    return true;
  }
  const match = /^\/checkout\/([^/]+)(?:\/(pay|cancel))?$/.exec(pathname);
  if (!match) return false;
  const id = decodeURIComponent(match[1] ?? "");
  const action = match[2];
  let session: CheckoutSession;
  try {
    session = currentCheckoutSession(state, id);
  } catch {
    send(res, 404, page("Test checkout", "<p>No such checkout session.</p>"));
    return true;
  }
  if (req.method === "GET" && !action) {
    send(res, 200, session.status === "open" ? checkoutForm(session, state) : closedPage(session));
    return true;
  }
  if (req.method !== "POST" || !action) return false;
  const form = parseStripeForm(await readBody(req));
  if (session.status !== "open") {
    send(res, 409, closedPage(session));
    return true;
  }
  if (action === "cancel") {
    redirect(res, session.cancel_url ?? `/checkout/${session.id}`);
    return true;
  }
  try {
    const card = typeof form.card === "string" ? form.card : undefined;
    const result = payCheckoutSession(state, session.id, { card });
    if (result.outcome === "declined") send(res, 402, checkoutForm(session, state, result.message));
    else if (result.redirectUrl) redirect(res, result.redirectUrl);
    else send(res, 200, closedPage(result.session));
  } catch (err) {
    if (!(err instanceof StripeApiError)) throw err;
    send(res, err.status, checkoutForm(session, state, err.message));
  }
  return true;
}
