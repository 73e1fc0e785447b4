/**
 * Demand for a spec with `demand.fromMetrics`: reads every named fleet through its cloud's
 * metrics source, combines them, and asks ./demand.ts for the decision. The I/O half of the
 * metrics feature; the rules live in the pure modules.
 *
 * Fleets are combined per hour by their highest binding utilization (max of CPU and memory, then
 * max over fleets): with fleet sizes unknown, that is the reading that never under-provisions. If
 * any fleet cannot be read, or live inputs are off, the static `demand.replicas` stands and a
 * warning says why: a metrics outage never shrinks a fleet.
 */
import { cmp } from "../catalog/offer";
import type { CloudSet } from "../clouds/cloud-set";
import type { WorkloadSpec } from "../spec/schema";
import { DEFAULT_LIVE_TIMEOUT_SECONDS, deadlineOf, type LiveAccess } from "../prices/source";
import { errorText } from "../prices/errors";
import { DEFAULT_POLICY, untilDeadline } from "../prices/retry";
import { decideDemand, type DemandDecision } from "./demand";
import { metricsClouds, type FromMetrics } from "./spec";
import type { FleetMetrics } from "./source";
import { HOUR_MS, fleetUtilization, maxPerHour } from "./series";

export interface DemandOptions extends LiveAccess {
  /** The clouds whose metrics sources read the fleets. */
  clouds: CloudSet;
  /** Read live metrics (opt-in, like live prices). */
  live?: boolean;
  offline?: boolean;
}

/** The decision for a spec with `demand.fromMetrics`; undefined for a static spec. */
export async function resolveDemand(spec: WorkloadSpec, options: DemandOptions): Promise<DemandDecision | undefined> {
  const fm = spec.demand.fromMetrics as FromMetrics | undefined;
  if (!fm) return undefined;
  const current = spec.demand.replicas;
  // Whole hours only, so that runs within the same hour read the same window.
  const end = new Date(Math.floor((options.now ?? (() => new Date()))().getTime() / HOUR_MS) * HOUR_MS);
  const window = { start: new Date(end.getTime() - fm.lookbackDays * 24 * HOUR_MS), end };
  const rules = { percentile: fm.percentile, targetUtilization: fm.targetUtilization, maxStepDown: fm.maxStepDown, ...(fm.forecastDays !== undefined ? { forecastDays: fm.forecastDays } : {}) };
  const stand = (why: string): DemandDecision => ({
    ...decideDemand({ currentReplicas: current, samples: [], window, ...rules }),
    warnings: [`${why}; the static demand.replicas (${current}) stands`],
  });
  if (options.offline || !options.live) return stand("demand.fromMetrics is set but live inputs are off (plan with --live or MULTICLOUD_LIVE=1)");

  const fleets = metricsClouds(options.clouds).filter((c) => fm[c] !== undefined).sort(cmp);
  // The same deadline as the prices when planLive passes one; else one of our own.
  const deadline = deadlineOf(options, DEFAULT_LIVE_TIMEOUT_SECONDS);
  const policy = { ...DEFAULT_POLICY, ...options.policy, ...(deadline ? { deadline } : {}) };
  const reads = await Promise.allSettled(
    fleets.map((name) => {
      const source = options.clouds.get(name).metrics!;
      const reading = source.read({ fleet: fm[name], start: window.start, end: window.end, periodSeconds: 3600, connection: options.connections?.[name] ?? {}, policy, sleep: options.sleep });
      return deadline ? untilDeadline(reading, deadline) : reading;
    }),
  );
  const failed = reads.flatMap((r, i) => (r.status === "rejected" ? [`${options.clouds.get(fleets[i]!).metrics!.describeFleet(fm[fleets[i]!])}: ${errorText(r.reason)}`] : []));
  if (failed.length > 0) return stand(`metrics unavailable (${failed.join("; ")})`);
  const fleetsRead = reads.map((r) => (r as PromiseFulfilledResult<FleetMetrics>).value);
  const samples = maxPerHour(fleetsRead.map(fleetUtilization));
  const decision = decideDemand({ currentReplicas: current, samples, window, ...rules });
  // What the sources noticed (a metric missing, an agent not publishing memory) reaches the user.
  return { ...decision, warnings: [...fleetsRead.flatMap((f) => f.notes), ...decision.warnings] };
}
