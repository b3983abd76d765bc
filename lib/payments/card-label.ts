/** Card brands as people write them; Stripe's ids otherwise. Safe in the browser. */
const CARD_BRANDS: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  diners: "Diners Club",
  discover: "Discover",
  jcb: "JCB",
  unionpay: "UnionPay",
};

export interface CardFacts {
  brand?: string | null;
  last4?: string | null;
}

/** "Visa •••• 4242"; null without the last four digits (the caller says "your card"). */
export function cardLabel(card: CardFacts | null | undefined): string | null {
  if (!card?.last4) return null;
  const brand = card.brand ? (CARD_BRANDS[card.brand.toLowerCase()] ?? card.brand) : "";
  return `${brand ? `${brand} ` : ""}•••• ${card.last4}`;
}
