import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "./api";
import type { BillingPortalSession, Subscription } from "./billing-types";
import { cardBehaviour, isPlausibleCardNumber, normaliseCardNumber, TEST_CARDS } from "./cards";
import { parseStripeForm } from "./form-encoding";
import { escapeHtml, formatAmount, page, redirect, send } from "./html";
import { PORTAL_SESSION_TTL_SECONDS } from "./resources/billing-portal";
import { attachPaymentMethod, createCardPaymentMethod } from "./resources/payment-methods";
import { priceName } from "./resources/products-prices";
import { subscriptionItem } from "./resources/subscription-start";
import { setCancelAtPeriodEnd } from "./resources/subscriptions";
import { NO_REQUEST, type StripeState } from "./state";
import { nowSeconds } from "./store";

const NOTICES: Record<string, string> = {
  canceled: "Your subscription will be canceled at the end of the period.",
  renewed: "Your subscription will renew.",
  card: "Your card was updated.",
};

function day(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

function liveSubscriptions(state: StripeState, customer: string): Subscription[] {
  return [...state.store.subscriptions.values()].filter(
    (subscription) =>
      subscription.customer === customer &&
      subscription.status !== "canceled" &&
      subscription.status !== "incomplete_expired",
  );
}

function subscriptionSection(state: StripeState, session: BillingPortalSession, subscription: Subscription): string {
  const item = subscriptionItem(subscription);
  const base = `/portal/${escapeHtml(session.id)}/subscriptions/${escapeHtml(subscription.id)}`;
  const when = subscription.cancel_at_period_end
    ? `Cancels on ${day(item.current_period_end)}`
    : `Renews on ${day(item.current_period_end)}`;
  const action = subscription.cancel_at_period_end
    ? `<button id="renew-${escapeHtml(subscription.id)}" class="renew" type="submit" formaction="${base}/renew">Don't cancel</button>`
    : `<button id="cancel-${escapeHtml(subscription.id)}" class="cancel" type="submit" formaction="${base}/cancel">Cancel at period end</button>`;
  return `<section class="subscription" data-subscription="${escapeHtml(subscription.id)}">
<h2>${escapeHtml(priceName(state, item.price))}</h2>
<p>${escapeHtml(formatAmount(item.price.unit_amount * item.quantity, item.price.currency))} / ${escapeHtml(item.price.recurring?.interval ?? "")}</p>
<p class="status">Status: ${escapeHtml(subscription.status)}</p>
<p class="period">${escapeHtml(when)}</p>
<form method="post">${action}</form>
</section>`;
}

function portalPage(state: StripeState, session: BillingPortalSession, notice?: string, error?: string): string {
  const customer = state.store.get("customers", session.customer);
  const defaultId = customer.invoice_settings.default_payment_method;
  const card = defaultId ? state.store.paymentMethods.get(defaultId)?.card : undefined;
  const subscriptions = liveSubscriptions(state, customer.id);
  const cardForm = `<section id="payment-method">
<h2>Payment method</h2>
${card ? `<p id="current-card">${escapeHtml(card.brand)} •••• ${escapeHtml(card.last4)}</p>` : ""}
${error ? `<p class="error" role="alert" id="error">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/portal/${escapeHtml(session.id)}/payment-method">
<label for="card">Card number</label>
<input id="card" name="card" inputmode="numeric" autocomplete="cc-number" value="">
<button id="update-card" type="submit">Update card</button>
</form>
</section>`;
  const list =
    subscriptions.length === 0
      ? `<p id="no-subscriptions">No active subscriptions.</p>`
      : subscriptions.map((subscription) => subscriptionSection(state, session, subscription)).join("\n");
  const onlyCard = session.flow?.type === "payment_method_update" && notice === undefined;
  return page(
    "Test customer portal",
    `<h1>Test customer portal</h1>
${notice ? `<p class="note" role="status" id="notice">${escapeHtml(notice)}</p>` : ""}
${customer.email ? `<p>${escapeHtml(customer.email)}</p>` : ""}
${onlyCard ? "" : list}
${cardForm}
${session.return_url ? `<p><a id="return" href="${escapeHtml(session.return_url)}">Return</a></p>` : ""}
<p class="note">Offline Stripe test server. Test cards: ${TEST_CARDS.visa} succeeds, ${TEST_CARDS.declined} is declined.</p>`,
  );
}

/** Stripe's portal saves a new card as the customer's default and the subscriptions'. */
function updateCard(state: StripeState, session: BillingPortalSession, input: string): string | undefined {
  const number = normaliseCardNumber(input);
  if (!isPlausibleCardNumber(number)) return "Your card number is invalid.";
  if (cardBehaviour(number) === "declined") return "Your card was declined.";
  const customer = state.store.get("customers", session.customer);
  const paymentMethod = createCardPaymentMethod(state, number, { email: customer.email, name: customer.name });
  attachPaymentMethod(state, paymentMethod, customer.id);
  const previousDefault = customer.invoice_settings.default_payment_method;
  customer.invoice_settings.default_payment_method = paymentMethod.id;
  state.emit("customer.updated", customer, NO_REQUEST, {
    invoice_settings: { ...customer.invoice_settings, default_payment_method: previousDefault },
  });
  for (const subscription of liveSubscriptions(state, customer.id)) {
    const previous = { default_payment_method: subscription.default_payment_method };
    subscription.default_payment_method = paymentMethod.id;
    state.emit("customer.subscription.updated", subscription, NO_REQUEST, previous);
  }
  return undefined;
}

/** `/portal/:id` and its actions; answers false when the path is not the portal's. */
export async function handlePortalPage(
  state: StripeState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const match = /^\/portal\/([^/]+)(?:\/(payment-method|subscriptions\/([^/]+)\/(cancel|renew)))?$/.exec(url.pathname);
  if (!match) return false;
  const session = state.store.portalSessions.get(decodeURIComponent(match[1] ?? ""));
  if (!session) {
    send(res, 404, page("Test customer portal", "<p>No such portal session.</p>"));
    return true;
  }
  if (session.created + PORTAL_SESSION_TTL_SECONDS < nowSeconds()) {
    send(res, 410, page("Test customer portal", `<p id="expired">This portal session has expired.</p>`));
    return true;
  }
  const home = `/portal/${encodeURIComponent(session.id)}`;
  if (req.method === "GET" && !match[2]) {
    const done = url.searchParams.get("done") ?? "";
    send(res, 200, portalPage(state, session, NOTICES[done]));
    return true;
  }
  if (req.method !== "POST" || !match[2]) return false;
  const form = parseStripeForm(await readBody(req));
  if (match[2] === "payment-method") {
    const error = updateCard(state, session, typeof form.card === "string" ? form.card : "");
    if (error) send(res, 402, portalPage(state, session, undefined, error));
    else redirect(res, `${home}?done=card`);
    return true;
  }
  const subscription = state.store.subscriptions.get(decodeURIComponent(match[3] ?? ""));
  if (!subscription || !liveSubscriptions(state, session.customer).includes(subscription)) {
    send(res, 404, page("Test customer portal", "<p>No such subscription.</p>"));
    return true;
  }
  const cancel = match[4] === "cancel";
  const previous = setCancelAtPeriodEnd(subscription, cancel);
  if (previous) state.emit("customer.subscription.updated", subscription, NO_REQUEST, previous);
  redirect(res, `${home}?done=${cancel ? "canceled" : "renewed"}`);
  return true;
}
