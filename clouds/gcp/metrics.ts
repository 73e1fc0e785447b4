/**
 * GCP fleet utilization: Cloud Monitoring `listTimeSeries` (paginated) through
 * @google-cloud/monitoring, REST transport, for the instances of a managed instance group:
 * `compute.googleapis.com/instance/cpu/utilization`, and memory from the Ops agent
 * (`agent.googleapis.com/memory/percent_used`, state "used") when installed. The group's
 * instances are selected by the `instance_group` system label and the region's zones; the series
 * are aligned to hourly means and averaged across instances by the API.
 *
 * Authentication: an injected AuthClient or application-default credentials from a file (see
 * ./live-prices.ts `gcpAuthOptions`); Monitoring takes no API key. Never the metadata server.
 */
import { z } from "zod";
import { LiveSourceError } from "../../core/prices/errors";
import { abortable, fetchPages } from "../../core/prices/retry";
import type { FleetMetrics, MetricsRequest, MetricsSource, Sample } from "../../core/metrics/source";
import { endpointOf } from "../../core/prices/source";
import { classifyGoogle, gcpAuthOptions, gcpEndpointOptions, routeThroughProxy } from "./live-prices";

const fleetSchema = z.strictObject({
  project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "expected a GCP project id, e.g. my-project-123"),
  region: z.string().regex(/^[a-z]+-[a-z]+\d+$/, "expected a GCP region name, e.g. us-central1"),
  instanceGroup: z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, "expected a managed instance group name"),
});
type GcpFleet = z.output<typeof fleetSchema>;

const CPU_FILTER = 'metric.type = "compute.googleapis.com/instance/cpu/utilization"';
const MEMORY_FILTER = 'metric.type = "agent.googleapis.com/memory/percent_used" AND metric.labels.state = "used"';

/** The fields of a TimeSeries point this source reads. */
interface Point {
  interval?: { startTime?: { seconds?: unknown } | null; endTime?: { seconds?: unknown } | null } | null;
  value?: { doubleValue?: number | null } | null;
}

async function readGcpMetrics(request: MetricsRequest): Promise<FleetMetrics> {
  const fleet = request.fleet as GcpFleet;
  const { MetricServiceClient } = require("@google-cloud/monitoring") as typeof import("@google-cloud/monitoring");
  const client = new MetricServiceClient({
    fallback: true,
    ...gcpEndpointOptions(endpointOf(request.connection, "monitoring", "MULTICLOUD_ENDPOINT_GCP_MONITORING")),
    ...gcpAuthOptions(request.connection, false),
    ...request.connection.clientOptions,
  });
  const scope = `resource.type = "gce_instance" AND metadata.system_labels.instance_group = "${fleet.instanceGroup}" AND resource.labels.zone = starts_with("${fleet.region}-")`;
  const second = (d: Date) => ({ seconds: Math.floor(d.getTime() / 1000) });

  async function series(metricFilter: string, scale: number, what: string): Promise<Sample[]> {
    const out: Sample[] = [];
    await fetchPages({
      what: (n) => `listTimeSeries (${what}) page ${n} for ${fleet.instanceGroup}`,
      policy: request.policy,
      classify: classifyGoogle,
      sleep: request.sleep,
      fetch: (pageToken, signal) =>
        abortable(
          client.listTimeSeries(
            {
              name: `projects/${fleet.project}`,
              filter: `${metricFilter} AND ${scope}`,
              interval: { startTime: second(request.start), endTime: second(request.end) },
              aggregation: { alignmentPeriod: { seconds: request.periodSeconds }, perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_MEAN" },
              view: "FULL",
              pageToken,
            },
            { autoPaginate: false, retry: null as never, timeout: request.policy.timeoutMs },
          ),
          signal,
        ),
      next: ([, , raw]) => raw?.nextPageToken,
      onPage: ([list], n) => {
        for (const ts of list ?? []) {
          for (const p of (ts.points ?? []) as Point[]) {
            const seconds = Number(p.interval?.startTime?.seconds ?? p.interval?.endTime?.seconds);
            const v = p.value?.doubleValue;
            if (!Number.isFinite(seconds) || typeof v !== "number") throw new LiveSourceError("malformed", `listTimeSeries (${what}) page ${n}: a point lacks its time or double value`);
            out.push({ t: seconds * 1000, v: v * scale });
          }
        }
      },
    });
    return out;
  }

  try {
    await client.initialize(); // local set-up outside the request timeout
    await routeThroughProxy(client);
    const cpu = await series(CPU_FILTER, 1, "cpu");
    const memory = await series(MEMORY_FILTER, 1 / 100, "memory");
    return { cpu, ...(memory.length > 0 ? { memory } : {}), notes: memory.length === 0 ? ["no Ops agent memory metric: CPU only"] : [] };
  } finally {
    await client.close().catch(() => undefined);
  }
}

export const gcpMetrics: MetricsSource = {
  description: "Cloud Monitoring listTimeSeries",
  fleetSchema,
  describeFleet: (fleet) => `managed instance group ${(fleet as GcpFleet).instanceGroup} (${(fleet as GcpFleet).region})`,
  read: readGcpMetrics,
};
