/**
 * Fake CloudWatch `GetMetricData` in the protocol @aws-sdk/client-cloudwatch speaks today: JSON 1.0
 * (`X-Amz-Target: GraniteServiceVersion20100801.GetMetricData`) with query compatibility, so
 * throttling arrives as `x-amzn-query-error: Throttling;Sender`. Timestamps are epoch seconds.
 * Results page by datapoints with an opaque NextToken.
 */
import { startAwsJsonFake } from "./aws-json";
import { pageToken, type FakeServer } from "./http";

/** Datapoints in percent per auto scaling group and metric (`CPUUtilization`, `mem_used_percent`). */
export type MetricStore = Record<string, Record<string, Array<{ t: number; v: number }>>>;

interface Query {
  Id: string;
  MetricStat: { Metric: { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: string }> }; Period: number; Stat: string };
}

export function startCloudWatchFake(store: MetricStore, pointsPerPage = 500): Promise<FakeServer> {
  return startAwsJsonFake({
    targetPrefix: "GraniteServiceVersion20100801",
    jsonVersion: "1.0",
    queryCompatible: { throttleCode: "Throttling" },
    operations: {
      GetMetricData: (input) => {
        const start = Number(input.StartTime) * 1000;
        const end = Number(input.EndTime) * 1000;
        const offset = pageToken.decode(input.NextToken as string | undefined);
        let more = false;
        const results = (input.MetricDataQueries as Query[]).map((q) => {
          const asg = q.MetricStat.Metric.Dimensions.find((d) => d.Name === "AutoScalingGroupName")?.Value ?? "";
          const points = (store[asg]?.[q.MetricStat.Metric.MetricName] ?? []).filter((p) => p.t >= start && p.t < end).sort((a, b) => a.t - b.t);
          const page = points.slice(offset, offset + pointsPerPage);
          if (offset + pointsPerPage < points.length) more = true;
          return { Id: q.Id, Label: q.MetricStat.Metric.MetricName, Timestamps: page.map((p) => p.t / 1000), Values: page.map((p) => p.v), StatusCode: offset + pointsPerPage < points.length ? "PartialData" : "Complete" };
        });
        return { MetricDataResults: results, Messages: [], ...(more ? { NextToken: pageToken.encode(offset + pointsPerPage) } : {}) };
      },
    },
  });
}
