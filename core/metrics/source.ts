/**
 * The contract of a cloud's metrics source (`CloudAdapter.metrics`): the utilization of one
 * running fleet (an AWS auto scaling group, an Azure VM scale set, a GCP managed instance group)
 * over a window, as hourly samples. Sources only read; what the samples mean for demand is decided
 * by the pure code in this folder (./demand.ts).
 *
 * Utilization is a fraction of capacity in [0, 1], averaged over the fleet's instances for the
 * sample's period. A source throws a LiveSourceError on any failure; an empty answer is not a
 * failure (the demand rules treat missing data as "keep the fleet").
 */
import type { z } from "zod";
import type { Connection } from "../prices/source";
import type { RequestPolicy, Sleep } from "../prices/retry";

export interface Sample {
  /** Start of the period, epoch milliseconds. */
  t: number;
  /** Utilization fraction in [0, 1]. */
  v: number;
}

export interface FleetMetrics {
  cpu: Sample[];
  /** Memory utilization where the cloud reports it (CloudWatch agent, Azure, GCP Ops agent). */
  memory?: Sample[];
  notes: string[];
}

export interface MetricsRequest {
  /** The fleet reference from `demand.fromMetrics.<cloud>`, already validated by `fleetSchema`. */
  fleet: unknown;
  start: Date;
  end: Date;
  periodSeconds: number;
  connection: Connection;
  policy: RequestPolicy;
  sleep?: Sleep;
}

export interface MetricsSource {
  /** The API used, for messages: "CloudWatch GetMetricData". */
  readonly description: string;
  /** Schema of this cloud's fleet reference in the spec (`demand.fromMetrics.<cloud>`). */
  readonly fleetSchema: z.ZodType;
  /** A short name of the fleet for messages: "auto scaling group web (us-east-1)". */
  describeFleet(fleet: unknown): string;
  read(request: MetricsRequest): Promise<FleetMetrics>;
}
