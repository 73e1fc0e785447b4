/**
 * AWS fleet utilization: CloudWatch `GetMetricData` (paginated) for an auto scaling group:
 * `AWS/EC2 CPUUtilization` by `AutoScalingGroupName`, and memory from the CloudWatch agent
 * (`CWAgent mem_used_percent` by `AutoScalingGroupName`) when the agent publishes it. Hourly
 * averages; percentages become fractions. Credentials as for prices (./live-prices.ts).
 */
import { z } from "zod";
import { LiveSourceError } from "../../core/prices/errors";
import { fetchPages } from "../../core/prices/retry";
import type { FleetMetrics, MetricsRequest, MetricsSource, Sample } from "../../core/metrics/source";
import { awsClientConfig, classifyAws, newAwsClient } from "./live-prices";

const fleetSchema = z.strictObject({
  autoScalingGroup: z.string().min(1),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d+$/, "expected an AWS region name, e.g. us-east-1"),
});
type AwsFleet = z.output<typeof fleetSchema>;

const QUERIES = [
  { id: "cpu", namespace: "AWS/EC2", metric: "CPUUtilization" },
  { id: "mem", namespace: "CWAgent", metric: "mem_used_percent" },
] as const;

async function readAwsMetrics(request: MetricsRequest): Promise<FleetMetrics> {
  const fleet = request.fleet as AwsFleet;
  const { CloudWatchClient, GetMetricDataCommand } = require("@aws-sdk/client-cloudwatch") as typeof import("@aws-sdk/client-cloudwatch");
  const client = newAwsClient(() => new CloudWatchClient(awsClientConfig(request.connection, "cloudwatch", fleet.region)));
  const series: Record<string, Sample[]> = { cpu: [], mem: [] };
  const MetricDataQueries = QUERIES.map((q) => ({
    Id: q.id,
    MetricStat: {
      Metric: { Namespace: q.namespace, MetricName: q.metric, Dimensions: [{ Name: "AutoScalingGroupName", Value: fleet.autoScalingGroup }] },
      Period: request.periodSeconds,
      Stat: "Average",
    },
    ReturnData: true,
  }));
  await fetchPages({
    what: (n) => `GetMetricData page ${n} for ${fleet.autoScalingGroup}`,
    policy: request.policy,
    classify: classifyAws,
    sleep: request.sleep,
    fetch: (NextToken, abortSignal) =>
      client.send(new GetMetricDataCommand({ MetricDataQueries, StartTime: request.start, EndTime: request.end, ScanBy: "TimestampAscending", NextToken }), { abortSignal }),
    next: (out) => out.NextToken,
    onPage: (out, n) => {
      for (const r of out.MetricDataResults ?? []) {
        const target = series[r.Id ?? ""];
        const times = r.Timestamps ?? [];
        const values = r.Values ?? [];
        if (!target || times.length !== values.length) throw new LiveSourceError("malformed", `GetMetricData page ${n}: result ${r.Id} has ${times.length} timestamps for ${values.length} values`);
        times.forEach((t, i) => target.push({ t: t.getTime(), v: values[i]! / 100 }));
      }
    },
  });
  const notes = series.mem!.length === 0 ? ["no CloudWatch agent memory metric (CWAgent mem_used_percent): CPU only"] : [];
  return { cpu: series.cpu!, ...(series.mem!.length > 0 ? { memory: series.mem! } : {}), notes };
}

export const awsMetrics: MetricsSource = {
  description: "CloudWatch GetMetricData",
  fleetSchema,
  describeFleet: (fleet) => `auto scaling group ${(fleet as AwsFleet).autoScalingGroup} (${(fleet as AwsFleet).region})`,
  read: readAwsMetrics,
};
