/**
 * Fake Azure Resource Manager, the Azure Monitor metrics route
 * (`GET /{resourceUri}/providers/Microsoft.Insights/metrics?api-version=...&timespan=...&metricnames=...`)
 * over HTTPS with a self-signed loopback certificate: the SDK's bearer-token policy refuses plain
 * http, so the real policy runs. Requires `Authorization: Bearer ...`; errors are ARM's
 * `{"error": {"code", "message"}}`, with Retry-After on 429.
 */
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { startFake, type FakeResponse, type FakeServer } from "./http";

const TLS_DIR = path.join(__dirname, "tls");
export const LOOPBACK_TLS = {
  key: fs.readFileSync(path.join(TLS_DIR, "loopback.key"), "utf8"),
  cert: fs.readFileSync(path.join(TLS_DIR, "loopback.crt"), "utf8"),
};

/** An https agent that trusts the fake's certificate (and nothing else). */
export const trustingAgent = (): https.Agent => new https.Agent({ ca: LOOPBACK_TLS.cert });

/** A TokenCredential with a fixed token: the edge where @azure/identity would talk to Entra ID. */
export const staticToken = (token = "fake-arm-token") => ({
  getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
});

/** Datapoints (percent or bytes, as Azure reports them) per lower-cased resource id and metric name. */
export type AzureMetricStore = Record<string, Record<string, Array<{ t: number; v: number }>>>;

function armError(status: number, code: string, message: string): FakeResponse {
  return { status, headers: status === 429 ? { "retry-after": "0" } : {}, body: JSON.stringify({ error: { code, message } }) };
}

export function startAzureArmFake(store: AzureMetricStore): Promise<FakeServer> {
  return startFake({
    tls: LOOPBACK_TLS,
    renderFault: (fault) =>
      fault === "throttle"
        ? armError(429, "TooManyRequests", "The request is being throttled.")
        : fault === "server"
          ? armError(503, "ServiceUnavailable", "The service is unavailable.")
          : { status: 200, body: '{"value": [{"name": ' },
    handle: (req) => {
      if (!/^Bearer \S+$/.test(String(req.headers.authorization ?? ""))) return armError(401, "AuthenticationFailed", "Authentication failed.");
      const m = /^(\/subscriptions\/.+)\/providers\/Microsoft\.Insights\/metrics$/i.exec(decodeURIComponent(req.url.pathname));
      if (!m || !req.url.searchParams.get("api-version")) return armError(404, "NotFound", `no route ${req.url.pathname}`);
      const resourceId = m[1]!;
      const data = store[resourceId.toLowerCase()];
      if (!data) return armError(404, "ResourceNotFound", `resource ${resourceId} not found`);
      const [from, to] = (req.url.searchParams.get("timespan") ?? "").split("/").map((d) => new Date(d).getTime());
      const names = (req.url.searchParams.get("metricnames") ?? "").split(",");
      const value = names.map((name) => ({
        id: `${resourceId}/providers/Microsoft.Insights/metrics/${name}`,
        type: "Microsoft.Insights/metrics",
        name: { value: name, localizedValue: name },
        displayDescription: name,
        unit: name.endsWith("Bytes") ? "Bytes" : "Percent",
        timeseries: [
          {
            metadatavalues: [],
            data: (data[name] ?? []).filter((p) => p.t >= from! && p.t < to!).map((p) => ({ timeStamp: new Date(p.t).toISOString(), average: p.v })),
          },
        ],
        errorCode: "Success",
      }));
      return { status: 200, body: JSON.stringify({ cost: 0, timespan: req.url.searchParams.get("timespan"), interval: req.url.searchParams.get("interval"), value, namespace: "Microsoft.Compute/virtualMachineScaleSets", resourceregion: "eastus" }) };
    },
  });
}
