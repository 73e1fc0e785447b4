/**
 * `demand.fromMetrics` in the workload spec (DESIGN.md "Metrics"): which running fleets to read
 * and the rules that turn their utilization into demand. Each cloud's fleet reference is that
 * adapter's own schema (`metrics.fleetSchema`), so this file names no cloud: a fourth cloud with
 * metrics appears here by itself.
 */
import { z } from "zod";
import { perCloudSet, type CloudSet } from "../clouds/cloud-set";

/** The clouds of a set that can read a running fleet's metrics, in the set's order. */
export function metricsClouds(clouds: CloudSet): string[] {
  return clouds.adapters.filter((c) => c.metrics).map((c) => c.name);
}

const rules = {
  /** Days of history read (and fitted by the forecast). Azure keeps 93 days of metrics, GCP 6 weeks. */
  lookbackDays: z.number().int().min(1).max(90).default(14),
  /** Percentile of hourly utilization that demand is sized for. */
  percentile: z.number().gt(0).max(100).default(95),
  /** Utilization (percent) the fleet should run at. */
  targetUtilization: z.number().gt(0).max(100).default(60),
  /** Size for the peak of a seasonal forecast this many days ahead instead of the observed percentile. */
  forecastDays: z.number().int().min(1).max(30).optional(),
  /** Largest fraction below the current replicas one plan may step down. */
  maxStepDown: z.number({ error: "expected a number between 0 and 1 (the largest share one plan may step down)" }).min(0).max(1).default(0.25),
};

/** `demand.fromMetrics` for a set of clouds: one fleet key per cloud with metrics. Built once per set. */
export const fromMetricsSchema = perCloudSet((clouds) => {
  const fleets: Record<string, z.ZodOptional<z.ZodType>> = Object.fromEntries(
    clouds.adapters.flatMap((c) => (c.metrics ? [[c.name, c.metrics.fleetSchema.optional()]] : [])),
  );
  const names = Object.keys(fleets);
  return z
    .strictObject({ ...fleets, ...rules })
    .refine((m) => names.some((c) => (m as Record<string, unknown>)[c] !== undefined), {
      message: `expected at least one running fleet to read (${names.join(", ")})`,
    });
});

/** The parsed rules; fleet references stay `unknown` until their adapter reads them. */
export type FromMetrics = z.output<z.ZodObject<typeof rules>> & { [cloud: string]: unknown };
