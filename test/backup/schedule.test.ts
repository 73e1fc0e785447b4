import { describe, expect, it } from "vitest";
import { anchorDate, asDuration, asHourlyRecurrence, asRateExpression, runsPerMonth, transferSchedule } from "../../core/backup/schedule";

describe("transfer schedule from rpoHours", () => {
  it.each([
    [1, "3600s", "rate(1 hour)", 730],
    [6, "21600s", "rate(6 hours)", 730 / 6],
    [24, "86400s", "rate(24 hours)", 730 / 24],
    [168, "604800s", "rate(168 hours)", 730 / 168],
  ])("every %i h: %s, %s, %d runs a month", (hours, duration, rate, runs) => {
    const s = transferSchedule(hours);
    expect(asDuration(s)).toBe(duration);
    expect(asRateExpression(s)).toBe(rate);
    expect(asHourlyRecurrence(s)).toEqual({ frequency: "Hour", interval: hours, startTime: "2024-01-01T00:00:00Z", timeZone: "UTC" });
    expect(runsPerMonth(s)).toBeCloseTo(runs, 9);
  });

  it("counts from a fixed past anchor, so previews never change with the clock", () => {
    expect(transferSchedule(6)).toEqual(transferSchedule(6));
    expect(anchorDate(transferSchedule(6))).toEqual({ year: 2024, month: 1, day: 1 });
  });
});
