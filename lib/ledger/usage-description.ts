/**
 * The description a usage debit is booked with when its event brings none: "AI usage: openai
 * gpt-4o (chat)". One function for the booking (book-usage.ts) and for recognising it again
 * (describe-transaction.ts renders such rows in the reader's language). Safe in the browser.
 */
export function usageDescription(usage: {
  provider?: string | null;
  model?: string | null;
  featureCode?: string | null;
}): string {
  const what = [usage.provider, usage.model].filter(Boolean).join(" ");
  return `AI usage${what ? `: ${what}` : ""}${usage.featureCode ? ` (${usage.featureCode})` : ""}`;
}
