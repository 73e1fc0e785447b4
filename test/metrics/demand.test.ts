import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideDemand, type DemandInput } from "../../core/metrics/demand";
import { percentile } from "../../core/metrics/series";
import { hoursAfter, series, T0, type Shape } from "./synthetic";

const WEEKS = 2;
const HOURS = WEEKS * 168;
const window = { start: hoursAfter(0), end: hoursAfter(HOURS) };

function input(shape: Shape, overrides: Partial<DemandInput> = {}): DemandInput {
  return { currentReplicas: 48, samples: series(shape, HOURS), window, percentile: 95, targetUtilization: 60, maxStepDown: 0.25, ...overrides };
}

const flat = (v: number): Shape => ({ base: v, dailyAmplitude: 0, weekendDip: 0 });

describe("demand from utilization", () => {
  it("scales the current fleet by the observed percentile over the target", () => {
    const shape: Shape = { base: 0.45, dailyAmplitude: 0.2, weekendDip: 0 };
    const d = decideDemand(input(shape));
    const p95 = percentile(series(shape, HOURS).map((s) => s.v), 95);
    expect(d).toMatchObject({ source: "metrics", currentReplicas: 48, replicas: Math.ceil((48 * p95) / 0.6), percentile: 95, targetUtilization: 60 });
    expect(d.replicas).toBeGreaterThan(48); // a p95 of ~0.64 is above the 60% target: grow
    expect(d.observedUtilization).toBeCloseTo(p95, 4);
    expect(d.warnings).toEqual([]);
    expect(d.window).toEqual({ start: window.start.toISOString(), end: window.end.toISOString() });
  });

  it("an exactly-on-target fleet keeps its size (no float noise replica)", () => {
    expect(decideDemand(input(flat(0.6))).replicas).toBe(48);
  });

  it("steps down at most maxStepDown below the current size, and says why", () => {
    const d = decideDemand(input(flat(0.1)));
    expect(d.replicas).toBe(36);
    expect(d.limitedBy).toBe("maxStepDown");
    expect(d.warnings).toEqual(["metrics suggest 8 replicas (p95 10% vs target 60%); stepping down at most 25% below the current 48 per plan: 36"]);
    expect(decideDemand(input(flat(0.1), { maxStepDown: 0.5 })).replicas).toBe(24);
    expect(decideDemand(input(flat(0.1), { maxStepDown: 0 })).replicas).toBe(48);
  });

  it("growth is never capped", () => {
    expect(decideDemand(input(flat(0.9))).replicas).toBe(72);
  });

  it("missing, stale or all-zero metrics keep the fleet as it is", () => {
    const none = decideDemand(input(flat(0.1), { samples: [] }));
    expect(none).toMatchObject({ source: "static", replicas: 48, warnings: ["no utilization samples in the metrics window; keeping the current 48 replicas"] });

    const stale = decideDemand(input(flat(0.1), { samples: series(flat(0.1), HOURS - 10) }));
    expect(stale).toMatchObject({ source: "static", replicas: 48 });
    expect(stale.warnings[0]).toMatch(/^utilization metrics are stale \(latest sample .*\); keeping the current 48 replicas$/);

    const zeros = decideDemand(input(flat(0)));
    expect(zeros).toMatchObject({ source: "static", replicas: 48, warnings: ["every utilization sample is zero (is the fleet reporting?); keeping the current 48 replicas"] });
  });

  it("sparse metrics may grow the fleet but never shrink it", () => {
    const sparse = (v: number) => series(flat(v), HOURS).filter((_, i) => i % 5 === 0 || i >= HOURS - 2);
    const low = decideDemand(input(flat(0.1), { samples: sparse(0.1) }));
    expect(low).toMatchObject({ source: "metrics", replicas: 48, limitedBy: "coverage" });
    expect(low.warnings[0]).toMatch(/^metrics cover \d+ of 336 hours; 8 replicas suggested .* never shrink the fleet: keeping 48$/);
    expect(decideDemand(input(flat(0.9), { samples: sparse(0.9) })).replicas).toBe(72);
  });

  it("with forecastDays, sizes for the forecast peak of a seasonal series", () => {
    const shape: Shape = { base: 0.3, dailyAmplitude: 0.15, weekendDip: 0.1 };
    const d = decideDemand(input(shape, { forecastDays: 7 }));
    expect(d.forecast).toMatchObject({ days: 7, seasonality: "daily+weekly" });
    expect(Math.abs(d.forecast!.peakUtilization - 0.45)).toBeLessThan(0.02);
    expect(d.replicas).toBe(Math.ceil((48 * d.forecast!.peakUtilization) / 0.6 - 1e-9));
  });

  it("falls back to the observed percentile when the history is too short to forecast", () => {
    const short = series(flat(0.3), 30, HOURS - 30);
    const d = decideDemand(input(flat(0.3), { samples: short, forecastDays: 3, maxStepDown: 1 }));
    expect(d.forecast).toBeUndefined();
    expect(d.warnings).toContain("not enough history for a forecast (30 hourly samples, need 48); using the observed p95");
  });

  it("never goes below the step-down floor, whatever the samples (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 0, maxLength: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (current, values, maxStepDown) => {
          const samples = values.map((v, i) => ({ t: T0 + (HOURS - values.length + i) * 3_600_000, v }));
          const d = decideDemand({ currentReplicas: current, samples, window, percentile: 90, targetUtilization: 60, maxStepDown });
          expect(d.replicas).toBeGreaterThanOrEqual(Math.ceil(current * (1 - maxStepDown) - 1e-9));
          if (d.source === "static") expect(d.replicas).toBe(current);
        },
      ),
      { numRuns: 200 },
    );
  });
});
