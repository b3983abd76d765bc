import { queryNamed } from "@/lib/db/pg-pool";
import { add, MoneyFormatError, mulRate, parseMoney, toMoneyString, type Money } from "@/lib/money/money";

/**
 * Pricing of usage reported as provider cost: price = cost × (1 + markup / 100), rounded
 * half-even to six decimals (lib/money's one rounding rule). The markup is the mandate's
 * billing_settings.provider_cost_markup_percent, or the platform default when that is null.
 */
const DEFAULT_MARKUP_PERCENT = "50";

/** The platform default, from PROVIDER_COST_MARKUP_PERCENT (a decimal string); 50 when unset. */
function platformMarkupPercent(): string {
  const configured = process.env.PROVIDER_COST_MARKUP_PERCENT?.trim() || DEFAULT_MARKUP_PERCENT;
  try {
    return toMoneyString(parseMoney(configured));
  } catch (err) {
    if (err instanceof MoneyFormatError) {
      throw new Error(`PROVIDER_COST_MARKUP_PERCENT must be a non-negative decimal, got "${configured}"`);
    }
    throw err;
  }
}

/** numeric(7,2) as node-postgres parses it: a decimal string. */
interface MarkupRow {
  mandate_id: string;
  provider_cost_markup_percent: string | null;
}

/**
 * Markup percent per mandate (one query for any number); unknown mandates get the default.
 * Every usage priced by provider cost asks, so it runs on the pg pool as a named statement
 * (lib/db/pg-pool.ts), not through Prisma.
 */
export async function loadMarkupPercents(mandateIds: readonly string[]): Promise<Map<string, string>> {
  const fallback = platformMarkupPercent();
  const unique = [...new Set(mandateIds)];
  const rows =
    unique.length === 0
      ? []
      : await queryNamed<MarkupRow>(
          "load_markup_percents",
          "SELECT mandate_id, provider_cost_markup_percent FROM billing_settings WHERE mandate_id = ANY($1::uuid[])",
          [unique],
        );
  const own = new Map(rows.map((r) => [r.mandate_id, r.provider_cost_markup_percent]));
  return new Map(unique.map((id) => [id, toMoneyString(own.get(id) ?? fallback)]));
}

export function priceFromProviderCost(providerCost: string, markupPercent: string): string {
  return toMoneyString(mulRate(parseMoney(providerCost), markupRate(markupPercent)));
}

// A batch prices up to 1000 events with a handful of markups: the rate is computed once each.
const rates = new Map<string, Money>();

function markupRate(markupPercent: string): Money {
  let rate = rates.get(markupPercent);
  if (!rate) {
    // percent × 0.01 is exact (two decimals become four), so only the final product rounds.
    rate = add("1", mulRate(markupPercent, "0.01"));
    if (rates.size > 1000) rates.clear();
    rates.set(markupPercent, rate);
  }
  return rate;
}
