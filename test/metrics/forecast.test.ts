import { describe, expect, it } from "vitest";
import { forecastHoltWinters } from "../../core/metrics/forecast";
import { series, utilizationAt, type Shape } from "./synthetic";

const values = (shape: Shape, hours: number): number[] => series(shape, hours).map((s) => s.v);
const truePeak = (shape: Shape, from: number, hours: number): number =>
  Math.max(...Array.from({ length: hours }, (_, h) => utilizationAt({ ...shape, noise: 0 }, from + h)));

describe("Holt-Winters forecast (daily + weekly seasonality)", () => {
  it("finds the weekday noon peak of a seasonal series with weekend dips", () => {
    const shape: Shape = { base: 0.35, dailyAmplitude: 0.15, weekendDip: 0.1, noise: 0.01 };
    const fc = forecastHoltWinters(values(shape, 28 * 24), 7 * 24)!;
    expect(fc.seasonality).toBe("daily+weekly");
    expect(fc.peak).toBeCloseTo(truePeak(shape, 28 * 24, 7 * 24), 1); // 0.5
    expect(Math.abs(fc.peak - 0.5)).toBeLessThan(0.02);
    // The forecast follows the weekly cycle: the weekend's noon is lower than a weekday's noon.
    const noonMonday = fc.values[12]!;
    const noonSaturday = fc.values[5 * 24 + 12]!;
    expect(noonMonday - noonSaturday).toBeGreaterThan(0.07);
    expect(fc.rmse).toBeLessThan(0.02);
  });

  it("looks ahead only as far as asked: a weekend-only horizon sees the lower weekend peak", () => {
    const shape: Shape = { base: 0.35, dailyAmplitude: 0.15, weekendDip: 0.1 };
    // History ends on a Friday night (4 weeks + 5 days); the next 48 hours are the weekend.
    const history = 4 * 168 + 5 * 24;
    const fc = forecastHoltWinters(values(shape, history), 48)!;
    expect(Math.abs(fc.peak - truePeak(shape, history, 48))).toBeLessThan(0.02); // 0.4
  });

  it("carries a growing trend into the horizon (damped, so not beyond the data's pace)", () => {
    const shape: Shape = { base: 0.25, dailyAmplitude: 0.1, weekendDip: 0.05, trendPerHour: 0.0002 };
    const history = 4 * 168;
    const fc = forecastHoltWinters(values(shape, history), 168)!;
    const lastWeekPeak = Math.max(...values(shape, history).slice(-168));
    const next = truePeak(shape, history, 168);
    expect(fc.peak).toBeGreaterThan(lastWeekPeak);
    expect(fc.peak).toBeLessThanOrEqual(next + 0.01);
    expect(next - fc.peak).toBeLessThan(0.04);
  });

  it("uses the daily cycle alone with less than two weeks of history, and nothing under two days", () => {
    const shape: Shape = { base: 0.4, dailyAmplitude: 0.2, weekendDip: 0 };
    const fc = forecastHoltWinters(values(shape, 5 * 24), 24)!;
    expect(fc.seasonality).toBe("daily");
    expect(Math.abs(fc.peak - 0.6)).toBeLessThan(0.02);
    expect(forecastHoltWinters(values(shape, 47), 24)).toBeNull();
  });

  it("is deterministic: the same history gives the same forecast", () => {
    const shape: Shape = { base: 0.3, dailyAmplitude: 0.1, weekendDip: 0.05, noise: 0.03 };
    const a = forecastHoltWinters(values(shape, 21 * 24), 72);
    const b = forecastHoltWinters(values(shape, 21 * 24), 72);
    expect(a).toEqual(b);
  });
});
