/**
 * The one place a money string becomes a JavaScript number (HOUSE_STYLE §4): recharts scales
 * bars and axes with floats, so chart geometry needs a number. Its float rounding (about 15
 * significant digits) can only move a bar by a fraction of a pixel. Nothing computed from the
 * result is ever shown as an amount: tooltips and labels format the original decimal string
 * with formatMoney. Safe in the browser.
 */
export function toChartValue(amount: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(amount)) throw new Error(`"${amount}" is not a decimal string`);
  return Number(amount);
}
