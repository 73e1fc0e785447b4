import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { usd } from "../core/util/units";

/** What usd() replaced: the same text, without loading ICU's number formatting (core/util/units.ts). */
const intl = (amount: number, decimals: number) =>
  `$${amount.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals })}`;

describe("usd", () => {
  it("prints what toLocaleString('en-US') prints, for any amount and 0-6 decimals", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), fc.integer({ min: 0, max: 6 }), (amount, decimals) => {
        expect(usd(amount, decimals)).toBe(intl(amount, decimals));
      }),
      { seed: 1301, numRuns: 5000 },
    );
  });

  it("prints what toLocaleString prints for prices and costs as plans have them (cents, 4-decimal hourly prices)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000_00, max: 10_000_000_00 }), fc.integer({ min: 0, max: 8 }), (cents, scale) => {
        const amount = cents / 10 ** scale;
        for (const decimals of [2, 4]) expect(usd(amount, decimals)).toBe(intl(amount, decimals));
      }),
      { seed: 1302, numRuns: 5000 },
    );
  });

  it("rounds exact ties away from zero, on both sides, and keeps the sign of a negative zero", () => {
    for (const [amount, decimals] of [[0.125, 2], [-0.125, 2], [2.5, 0], [-2.5, 0], [-0, 2], [-0.001, 2], [1e20, 2], [1e21, 2], [-1e22, 0], [Infinity, 2], [NaN, 2]] as const) {
      expect(usd(amount, decimals)).toBe(intl(amount, decimals));
    }
    expect(usd(0.125)).toBe("$0.13");
    expect(usd(-0.125)).toBe("$-0.13");
    expect(usd(1234567.891)).toBe("$1,234,567.89");
    expect(usd(0.0416, 4)).toBe("$0.0416");
  });
});
