/**
 * Units every part of the core shares (plans, drift, backup, the CLI), in one place so that no
 * module borrows them from another's internals.
 */

/** Monthly cost = hourly x 730 (DESIGN.md: 365 x 24 / 12, the clouds' own convention). */
export const HOURS_PER_MONTH = 730;

/**
 * Half a cent: monthly costs are shown and compared to the cent, so two costs within this of each
 * other are the same cost (a budget met "to the cent", a re-solve that "costs no more").
 */
export const USD_TOLERANCE = 0.005;

/** `$1,234.56` (or more decimals for hourly prices). */
export function usd(amount: number, decimals = 2): string {
  return `$${amount.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals })}`;
}
