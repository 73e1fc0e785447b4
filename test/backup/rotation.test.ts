/** The credential rotation calendar (core/backup/rotation.ts), on fixed clocks. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ROTATION_DAYS, rotationPeriod } from "../../core/backup/rotation";

const DAY = 86_400_000;

describe("credential rotation periods", () => {
  it("cuts time into 90-day periods from 2024-01-01 UTC (hand-computed boundaries)", () => {
    // 2024-01-01 + 90 d = 2024-03-31 (2024 is a leap year: 31 + 29 + 30 days); + 180 d = 2024-06-29.
    expect(rotationPeriod(new Date("2024-01-01T00:00:00Z"))).toEqual({ startsAt: "2024-01-01T00:00:00Z", sasExpiresAt: "2024-06-29T00:00:00Z", days: 90 });
    expect(rotationPeriod(new Date("2024-03-30T23:59:59Z")).startsAt).toBe("2024-01-01T00:00:00Z");
    expect(rotationPeriod(new Date("2024-03-31T00:00:00Z")).startsAt).toBe("2024-03-31T00:00:00Z");
    // 2026-11-28 is day 1062 since the epoch: period 11 (990 d) began 2026-09-17.
    expect(rotationPeriod(new Date("2026-11-28T10:50:00Z"))).toEqual({ startsAt: "2026-09-17T00:00:00Z", sasExpiresAt: "2027-03-16T00:00:00Z", days: 90 });
  });

  it("gives every instant of a period the same credentials, and a SAS valid at least one full period more", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse("2024-01-01T00:00:00Z"), max: Date.parse("2099-01-01T00:00:00Z") }), (ms) => {
        const p = rotationPeriod(new Date(ms));
        const start = Date.parse(p.startsAt);
        expect(start).toBeLessThanOrEqual(ms);
        expect(ms - start).toBeLessThan(ROTATION_DAYS * DAY);
        expect(Date.parse(p.sasExpiresAt) - ms).toBeGreaterThan(ROTATION_DAYS * DAY);
        expect(rotationPeriod(new Date(start))).toEqual(p);
      }),
      { seed: 16, numRuns: 200 },
    );
  });

  it("refuses a period that is not a whole number of days", () => {
    expect(() => rotationPeriod(new Date(0), 0)).toThrow(RangeError);
    expect(() => rotationPeriod(new Date(0), 1.5)).toThrow(/whole number of days/);
  });
});
