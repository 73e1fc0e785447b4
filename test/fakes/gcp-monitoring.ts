/**
 * Fake Cloud Monitoring API v3, REST transport (`GET /v3/projects/{project}/timeSeries`): returns
 * the aligned, cross-instance-reduced series for the metric named in the filter, newest point
 * first as the API does, split across pages by points with `nextPageToken`. Requires a bearer
 * token (Monitoring takes no API keys).
 */
import { pageOf, pageToken, startFake, type FakeServer } from "./http";
import { googleAuth, googleError, googleFault } from "./gcp-rest";

/** Hourly values per `project/instanceGroup` and metric type; fractions for CPU, percent for memory. */
export type GcpMetricStore = Record<string, Record<string, Array<{ t: number; v: number }>>>;

export function startGcpMonitoringFake(store: GcpMetricStore, pointsPerPage = 1000): Promise<FakeServer> {
  return startFake({
    renderFault: googleFault,
    handle: (req) => {
      const m = /^\/v3\/projects\/([^/]+)\/timeSeries$/.exec(req.url.pathname);
      if (!m) return googleError(404, `no route ${req.url.pathname}`);
      const auth = googleAuth(req);
      if (!auth?.startsWith("token:")) return googleError(401, "Request is missing required authentication credential.");
      const filter = req.url.searchParams.get("filter") ?? "";
      const group = /metadata\.system_labels\.instance_group = "([^"]+)"/.exec(filter)?.[1];
      const metric = /metric\.type = "([^"]+)"/.exec(filter)?.[1] ?? "";
      const from = Date.parse(req.url.searchParams.get("interval.startTime") ?? "");
      const to = Date.parse(req.url.searchParams.get("interval.endTime") ?? "");
      if (!group || Number.isNaN(from) || Number.isNaN(to)) return googleError(400, "filter must name an instance group; interval is required");
      const points = (store[`${m[1]}/${group}`]?.[metric] ?? []).filter((p) => p.t >= from && p.t < to).sort((a, b) => b.t - a.t);
      const { page, next } = pageOf(points, pageToken.decode(req.url.searchParams.get("pageToken")), pointsPerPage);
      const timeSeries =
        page.length === 0
          ? []
          : [
              {
                metric: { type: metric },
                resource: { type: "gce_instance", labels: { project_id: m[1] } },
                metricKind: "GAUGE",
                valueType: "DOUBLE",
                points: page.map((p) => ({
                  interval: { startTime: new Date(p.t).toISOString(), endTime: new Date(p.t + 3_600_000).toISOString() },
                  value: { doubleValue: p.v },
                })),
              },
            ];
      return { status: 200, body: JSON.stringify({ timeSeries, nextPageToken: next !== undefined ? pageToken.encode(next) : "", unit: metric.includes("percent") ? "%" : "10^2.%" }) };
    },
  });
}
