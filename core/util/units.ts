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

/**
 * `$1,234.56` (or more decimals for hourly prices): what `toLocaleString("en-US")` with that many
 * fraction digits prints, without it: its first call loads ICU's number formatting, ~20 ms of a
 * one-shot plan. Like ICU, it rounds the shortest decimal that reads back as the number (what
 * String() prints: 399260.115, whose binary value is 399260.11499..., gives .12), half away from
 * zero. Numbers String() writes with an exponent (below 1e-6, from 1e21) and NaN/Infinity go to
 * Intl. test/units.test.ts checks it against toLocaleString over random amounts.
 */
export function usd(amount: number, decimals = 2): string {
  const shortest = String(Math.abs(amount));
  if (!Number.isFinite(amount) || shortest.includes("e")) {
    return `$${amount.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals })}`;
  }
  const [whole = "", fraction = ""] = shortest.split(".");
  let digits = whole + fraction.slice(0, decimals).padEnd(decimals, "0");
  if (fraction.length > decimals && fraction[decimals]! >= "5") digits = (BigInt(digits) + 1n).toString().padStart(digits.length, "0");
  const integer = digits.slice(0, digits.length - decimals).replace(/^0+(?=\d)/, "") || "0";
  const sign = amount < 0 || Object.is(amount, -0) ? "-" : "";
  return `$${sign}${integer.replace(/\B(?=(\d{3})+$)/g, ",")}${decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : ""}`;
}
