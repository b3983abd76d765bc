import { compare, readDecimal } from "@/lib/money/money";
import { DEFAULT_TOP_UP_LIMITS, type TopUpLimits } from "./top-up-schema";

/** The custom amount's bounds: TOP_UP_MIN_CHF and TOP_UP_MAX_CHF (whole Rappen), else 10–5,000 CHF. */
export function topUpLimits(env: NodeJS.ProcessEnv = process.env): TopUpLimits {
  const min = env.TOP_UP_MIN_CHF ?? DEFAULT_TOP_UP_LIMITS.min;
  const max = env.TOP_UP_MAX_CHF ?? DEFAULT_TOP_UP_LIMITS.max;
  for (const [name, value] of [
    ["TOP_UP_MIN_CHF", min],
    ["TOP_UP_MAX_CHF", max],
  ] as const) {
    const read = readDecimal(value, { maxDecimals: 2 });
    if (!read.ok || compare(read.amount, "0.5") < 0)
      throw new Error(`${name}=${value} is no amount of at least 0.50 CHF`);
  }
  if (compare(min, max) > 0) throw new Error(`TOP_UP_MIN_CHF=${min} exceeds TOP_UP_MAX_CHF=${max}`);
  return { min, max };
}
