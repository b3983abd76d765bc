import { Money, toMoney } from "@/lib/money/money";

/** CHF in Rappen, as Stripe counts it; exact (the amount has at most two decimals). */
export function toMinorUnits(amount: string | Money): number {
  const rappen = toMoney(amount).times(100);
  if (!rappen.isInteger()) throw new Error(`${toMoney(amount).toFixed()} CHF is no whole number of Rappen`);
  return rappen.toNumber();
}

/** Rappen from Stripe as a CHF decimal string with two decimals ("5000" → "50.00"). */
export function fromMinorUnits(rappen: number): string {
  if (!Number.isSafeInteger(rappen)) throw new Error(`${rappen} is no amount in minor units`);
  return new Money(rappen).dividedBy(100).toFixed(2);
}
