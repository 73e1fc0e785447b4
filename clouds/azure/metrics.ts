/**
 * Azure fleet utilization: Azure Monitor metrics of a VM scale set through @azure/arm-monitor
 * (`metrics.list`): `Percentage CPU`, `Available Memory Bytes` and `Available Memory
 * Percentage`, hourly averages. Memory utilization is 1 - available percentage; the bytes figure
 * alone cannot give a utilization (the instance size is not in the answer) and only feeds a note.
 *
 * Credentials: an injected TokenCredential, else @azure/identity's DefaultAzureCredential (the
 * standard chain). The SDK's own retries are off: ../../core/prices/retry.ts is the only loop.
 */
import { z } from "zod";
import { LiveSourceError, classifyCommon, errorText, kindOfStatus } from "../../core/prices/errors";
import { withRetry } from "../../core/prices/retry";
import type { FleetMetrics, MetricsRequest, MetricsSource, Sample } from "../../core/metrics/source";
import { endpointOf } from "../../core/prices/source";

const SCALE_SET_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/[^/]+$/i;

const fleetSchema = z.strictObject({
  vmScaleSetId: z
    .string()
    .regex(SCALE_SET_ID, "expected a scale set resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachineScaleSets/<name>"),
});
type AzureFleet = z.output<typeof fleetSchema>;

const CPU = "Percentage CPU";
const MEMORY_BYTES = "Available Memory Bytes";
const MEMORY_PERCENT = "Available Memory Percentage";

/** Maps @azure/core errors to failure kinds. */
function classifyAzure(err: unknown): LiveSourceError | undefined {
  const e = err as { name?: string; statusCode?: number; code?: string };
  if (e?.name === "CredentialUnavailableError" || e?.name === "AuthenticationError" || e?.name === "AggregateAuthenticationError") {
    return new LiveSourceError("credentials", `no usable Azure credentials (${errorText(err)})`);
  }
  if (e?.code === "PARSE_ERROR" || (typeof e?.statusCode === "number" && e.statusCode < 300)) {
    return new LiveSourceError("malformed", `unreadable response body (${errorText(err)})`);
  }
  if (typeof e?.statusCode === "number") return new LiveSourceError(kindOfStatus(e.statusCode), `HTTP ${e.statusCode} (${e.code ?? errorText(err)})`);
  return classifyCommon(err) ?? (e?.code === "REQUEST_SEND_ERROR" ? new LiveSourceError("network", errorText(err)) : undefined);
}

async function readAzureMetrics(request: MetricsRequest): Promise<FleetMetrics> {
  const fleet = request.fleet as AzureFleet;
  const subscription = SCALE_SET_ID.exec(fleet.vmScaleSetId)![1]!;
  const { MonitorClient } = require("@azure/arm-monitor") as typeof import("@azure/arm-monitor");
  const credential = (request.connection.credentials ??
    new (require("@azure/identity") as typeof import("@azure/identity")).DefaultAzureCredential()) as import("@azure/identity").TokenCredential;
  const endpoint = endpointOf(request.connection, "arm", "MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT");
  const client = new MonitorClient(credential, subscription, {
    ...(endpoint ? { endpoint } : {}),
    retryOptions: { maxRetries: 0 },
    ...request.connection.clientOptions,
  });
  const response = await withRetry(
    `Azure Monitor metrics of ${fleet.vmScaleSetId.split("/").pop()}`,
    request.policy,
    (abortSignal) =>
      client.metrics.list(fleet.vmScaleSetId.replace(/^\//, ""), {
        timespan: `${request.start.toISOString()}/${request.end.toISOString()}`,
        interval: `PT${Math.round(request.periodSeconds / 60)}M`,
        metricnames: [CPU, MEMORY_BYTES, MEMORY_PERCENT].join(","),
        aggregation: "Average",
        abortSignal,
      }),
    classifyAzure,
    request.sleep,
  );
  const byName = new Map<string, Sample[]>();
  for (const metric of response.value ?? []) {
    const samples: Sample[] = [];
    for (const ts of metric.timeseries ?? []) {
      for (const point of ts.data ?? []) {
        if (point.average === undefined || point.average === null) continue; // no data in that interval
        const t = new Date(point.timeStamp).getTime();
        if (Number.isNaN(t)) throw new LiveSourceError("malformed", `Azure Monitor: a ${metric.name.value} point has no valid timeStamp`);
        samples.push({ t, v: point.average });
      }
    }
    byName.set(metric.name.value ?? "", samples);
  }
  if (!byName.has(CPU)) throw new LiveSourceError("malformed", `Azure Monitor answer has no "${CPU}" metric`);
  const memory = (byName.get(MEMORY_PERCENT) ?? []).map(({ t, v }) => ({ t, v: 1 - v / 100 }));
  const bytes = byName.get(MEMORY_BYTES) ?? [];
  const notes: string[] = [];
  if (bytes.length > 0) notes.push(`lowest available memory per instance: ${(Math.min(...bytes.map((s) => s.v)) / 2 ** 30).toFixed(2)} GiB`);
  if (memory.length === 0) notes.push(`no "${MEMORY_PERCENT}" data: CPU only`);
  return { cpu: byName.get(CPU)!.map(({ t, v }) => ({ t, v: v / 100 })), ...(memory.length > 0 ? { memory } : {}), notes };
}

export const azureMetrics: MetricsSource = {
  description: "Azure Monitor metrics",
  fleetSchema,
  describeFleet: (fleet) => `VM scale set ${(fleet as AzureFleet).vmScaleSetId.split("/").pop()}`,
  read: readAzureMetrics,
};
