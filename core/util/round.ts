/** Decimal rounding for money and shares: removes binary float noise (0.1 + 0.2 -> 0.3). */
export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
