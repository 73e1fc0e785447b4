/**
 * Pure operations on utilization samples: hourly bucketing, combining fleets and resources, and
 * percentiles. Deterministic: the same samples in any order give the same results.
 */
import type { FleetMetrics, Sample } from "./source";

export const HOUR_MS = 3_600_000;

/** Hourly means, sorted by time; values clamped to [0, 1] (a bad sample cannot exceed full load). */
export function hourly(samples: readonly Sample[]): Sample[] {
  const sums = new Map<number, { sum: number; n: number }>();
  for (const s of samples) {
    if (!Number.isFinite(s.v) || !Number.isFinite(s.t)) continue;
    const hour = Math.floor(s.t / HOUR_MS) * HOUR_MS;
    const acc = sums.get(hour) ?? { sum: 0, n: 0 };
    acc.sum += Math.min(1, Math.max(0, s.v));
    acc.n += 1;
    sums.set(hour, acc);
  }
  return [...sums].sort(([a], [b]) => a - b).map(([t, { sum, n }]) => ({ t, v: sum / n }));
}

/** Per hour, the highest of several series (hours missing from one series use the others). */
export function maxPerHour(series: ReadonlyArray<readonly Sample[]>): Sample[] {
  const out = new Map<number, number>();
  for (const s of series) for (const { t, v } of hourly(s)) out.set(t, Math.max(out.get(t) ?? 0, v));
  return [...out].sort(([a], [b]) => a - b).map(([t, v]) => ({ t, v }));
}

/**
 * A fleet's binding utilization per hour: the higher of CPU and memory, since a replica needs
 * both and the scarcer one decides how many fit.
 */
export function fleetUtilization(m: FleetMetrics): Sample[] {
  return maxPerHour(m.memory && m.memory.length > 0 ? [m.cpu, m.memory] : [m.cpu]);
}

/** The p-th percentile (0 < p <= 100) by linear interpolation between closest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error("percentile of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/**
 * Contiguous hourly values from the first to the last sample, gaps filled by linear interpolation
 * (the forecast needs one value per hour; gaps are short when coverage is checked first).
 */
export function fillGaps(samples: readonly Sample[]): number[] {
  const h = hourly(samples);
  if (h.length === 0) return [];
  const out: number[] = [];
  for (let i = 0; i < h.length; i++) {
    const cur = h[i]!;
    out.push(cur.v);
    const next = h[i + 1];
    if (!next) break;
    const steps = Math.round((next.t - cur.t) / HOUR_MS);
    for (let k = 1; k < steps; k++) out.push(cur.v + ((next.v - cur.v) * k) / steps);
  }
  return out;
}
