/**
 * How many replicas the running fleet's utilization calls for (DESIGN.md "Metrics"), as a plain
 * decision value. Pure: samples, the current fleet size and the rules in; a DemandDecision out.
 *
 *   replicas = ceil(current x u / target)
 *
 * where u is the `percentile` of hourly utilization over the window, or with `forecastDays` the
 * peak of a seasonal forecast over that horizon. Safety rules, in order:
 *   1. no samples, samples that stopped (stale) or all zero: the fleet stays as it is;
 *   2. less than half the window covered: the fleet may grow, never shrink;
 *   3. never more than `maxStepDown` below the current size in one plan.
 * Every rule that changes the outcome adds a warning that says why.
 */
import { MIN_FORECAST_HOURS, forecastHoltWinters, type Seasonality } from "./forecast";
import { fillGaps, hourly, percentile, HOUR_MS } from "./series";
import type { Sample } from "./source";
import { round } from "../util/round";

export interface DemandRules {
  /** Percentile of hourly utilization, 0 < p <= 100. */
  percentile: number;
  /** Target utilization in percent (as `scaling.targetCpuUtilization`). */
  targetUtilization: number;
  forecastDays?: number;
  /** Largest fraction below the current size a single plan may step down (0.25 = 25%). */
  maxStepDown: number;
}

export interface DemandInput extends DemandRules {
  /** Replicas the running fleet holds today. */
  currentReplicas: number;
  /** Fleet utilization (fraction of capacity), any granularity; bucketed hourly here. */
  samples: readonly Sample[];
  window: { start: Date; end: Date };
  /** A series whose last sample is older than this before the window's end is stale. */
  staleAfterHours?: number;
}

export interface DemandDecision {
  replicas: number;
  source: "static" | "metrics";
  currentReplicas: number;
  window: { start: string; end: string };
  percentile: number;
  targetUtilization: number;
  /** Observed utilization at the percentile, as a fraction; absent when there was no usable data. */
  observedUtilization?: number;
  forecast?: { days: number; seasonality: Seasonality; peakUtilization: number };
  /** Hourly samples used, and how many hours the window has. */
  hours: { observed: number; window: number };
  /** Set when the step-down cap (or partial coverage) held the fleet above what metrics suggest. */
  limitedBy?: "maxStepDown" | "coverage";
  warnings: string[];
}

export const DEFAULT_STALE_AFTER_HOURS = 3;
const MIN_COVERAGE = 0.5;

const round4 = (x: number): number => round(x, 4);
const pct = (x: number): string => `${round4(x * 100)}%`;

export function decideDemand(input: DemandInput): DemandDecision {
  const { currentReplicas: current, window } = input;
  const windowHours = Math.max(1, Math.round((window.end.getTime() - window.start.getTime()) / HOUR_MS));
  const inWindow = hourly(input.samples.filter((s) => s.t >= window.start.getTime() && s.t < window.end.getTime()));
  const base: DemandDecision = {
    replicas: current,
    source: "static",
    currentReplicas: current,
    window: { start: window.start.toISOString(), end: window.end.toISOString() },
    percentile: input.percentile,
    targetUtilization: input.targetUtilization,
    hours: { observed: inWindow.length, window: windowHours },
    warnings: [],
  };
  const keep = (why: string): DemandDecision => ({ ...base, warnings: [`${why}; keeping the current ${current} replicas`] });

  if (inWindow.length === 0) return keep("no utilization samples in the metrics window");
  const last = inWindow[inWindow.length - 1]!;
  const staleMs = (input.staleAfterHours ?? DEFAULT_STALE_AFTER_HOURS) * HOUR_MS;
  if (window.end.getTime() - (last.t + HOUR_MS) > staleMs) {
    return keep(`utilization metrics are stale (latest sample ${new Date(last.t).toISOString()})`);
  }
  if (inWindow.every((s) => s.v === 0)) return keep("every utilization sample is zero (is the fleet reporting?)");

  const target = input.targetUtilization / 100;
  // Rounded as reported, so that the plan's numbers reproduce its replicas exactly.
  const observed = round4(percentile(inWindow.map((s) => s.v), input.percentile));
  const decision: DemandDecision = { ...base, source: "metrics", observedUtilization: observed };
  let basis = observed;
  const warnings: string[] = [];
  if (input.forecastDays !== undefined) {
    const fc = forecastHoltWinters(fillGaps(inWindow), input.forecastDays * 24);
    if (fc) {
      basis = round4(fc.peak);
      decision.forecast = { days: input.forecastDays, seasonality: fc.seasonality, peakUtilization: basis };
    } else {
      warnings.push(`not enough history for a forecast (${inWindow.length} hourly samples, need ${MIN_FORECAST_HOURS}); using the observed p${input.percentile}`);
    }
  }
  // The epsilon keeps float noise (48 x 0.6 / 0.6 = 48.000000000000007) from adding a replica.
  const suggested = Math.max(1, Math.ceil((current * basis) / target - 1e-9));
  let replicas = suggested;
  const what = decision.forecast ? `forecast peak ${pct(basis)} over ${input.forecastDays} days` : `p${input.percentile} ${pct(basis)}`;
  if (inWindow.length / windowHours < MIN_COVERAGE && suggested < current) {
    replicas = current;
    decision.limitedBy = "coverage";
    warnings.push(`metrics cover ${inWindow.length} of ${windowHours} hours; ${suggested} replicas suggested (${what} vs target ${input.targetUtilization}%), but sparse metrics never shrink the fleet: keeping ${current}`);
  } else {
    const floor = Math.ceil(current * (1 - input.maxStepDown) - 1e-9);
    if (suggested < floor) {
      replicas = floor;
      decision.limitedBy = "maxStepDown";
      warnings.push(`metrics suggest ${suggested} replicas (${what} vs target ${input.targetUtilization}%); stepping down at most ${round4(input.maxStepDown * 100)}% below the current ${current} per plan: ${floor}`);
    }
  }
  return { ...decision, replicas: Math.min(replicas, 100_000), warnings };
}

/** What a plan records about a metrics-driven demand (`plan.demand.metrics`): how it was derived. */
export type DemandDetails = Omit<DemandDecision, "replicas" | "source" | "warnings">;

export function demandDetails(d: DemandDecision): DemandDetails {
  const { replicas: _r, source: _s, warnings: _w, ...details } = d;
  return details;
}
