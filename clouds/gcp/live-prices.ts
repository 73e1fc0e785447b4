/**
 * GCP live prices: the Cloud Billing Catalog API (`listSkus` of the Compute Engine service, all
 * pages) through @google-cloud/billing, composed into machine-type prices:
 *
 *   price(type, region) = vCPUs x core $/h + GiB x RAM $/GiB-h + GPUs x GPU $/h
 *
 * with each rate taken from the family's SKU for that region ("N2 Instance Core running in ...",
 * "Spot Preemptible N2 Instance Ram running in ...", "Nvidia L4 GPU running in ..."); usageType
 * OnDemand gives on-demand, Preemptible gives spot. f1-micro and g1-small have whole-instance SKUs.
 * A type is priced only when every component has a rate in that region; types whose bill has
 * parts the catalog cannot compose (bundled local SSD: `-lssd`, z3; the m2 upgrade premium; the
 * m4-ultramem-224 rates) are left out and counted. Shapes come from the embedded snapshot.
 *
 * Authentication: an API key (`connection.apiKey`, MULTICLOUD_GCP_API_KEY or GOOGLE_API_KEY), an
 * injected AuthClient, or application-default credentials when GOOGLE_APPLICATION_CREDENTIALS or
 * gcloud's ADC file exists. Nothing else: the client must never fall through to probing the GCE
 * metadata server on a machine that is not on GCP.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { InstanceOffer } from "../../core/catalog/offer";
import { LiveSourceError, classifyCommon, errorText, kindOfStatus } from "../../core/prices/errors";
import { proxyAgents } from "../../core/prices/proxy";
import { abortable, fetchPages } from "../../core/prices/retry";
import { endpointOf, type Connection, type LivePriceRequest, type LivePriceResult, type LivePriceSource, type TypeSpec } from "../../core/prices/source";
import { Tally, roundPrice } from "../../core/clouds/snapshot-helpers";

/** The Compute Engine service in the Cloud Billing Catalog. */
const COMPUTE_SERVICE = "services/6F81-5844-456A";
const PAGE_SIZE = 5000;

/** Family -> the SKU description stem of its core and RAM rates. */
const FAMILY_STEM: Readonly<Record<string, string>> = {
  a2: "A2 Instance",
  a3: "A3 Instance",
  c2: "Compute optimized",
  c2d: "C2D AMD Instance",
  c3: "C3 Instance",
  c3d: "C3D Instance",
  c4: "C4 Instance",
  c4a: "C4A Arm Instance",
  c4d: "C4D Instance",
  c4n: "C4N Instance",
  e2: "E2 Instance",
  g2: "G2 Instance",
  g4: "G4 Instance",
  h3: "H3 Instance",
  m1: "Memory-optimized Instance",
  m3: "M3 Memory-optimized Instance",
  m4: "M4 Instance",
  n1: "N1 Predefined Instance",
  n2: "N2 Instance",
  n2d: "N2D AMD Instance",
  n4: "N4 Instance",
  n4a: "N4A Instance",
  n4d: "N4D Instance",
  t2a: "T2A Arm Instance",
  t2d: "T2D AMD Instance",
};

/**
 * Machine series -> the SKU description stem of its per-GPU rate. Keyed by series, not by the
 * catalog's gpuType: the catalog folds memory variants together (a2-highgpu's A100 40GB and
 * a2-ultragpu's A100 80GB are both "a100"), while their rates differ. A GPU series missing here
 * is not priced live.
 */
const GPU_STEM: ReadonlyArray<readonly [RegExp, string]> = [
  [/^a2-ultragpu-/, "Nvidia Tesla A100 80GB GPU"],
  [/^a2-(highgpu|megagpu)-/, "Nvidia Tesla A100 GPU"],
  [/^a3-megagpu-/, "Nvidia H100 80GB Mega GPU"],
  [/^a3-highgpu-/, "Nvidia H100 80GB GPU"],
  [/^g2-/, "Nvidia L4 GPU"],
  [/^g4-/, "RTX 6000 96GB"],
];

/** Shared-core legacy types billed per instance. */
const WHOLE_INSTANCE_STEM: Readonly<Record<string, string>> = {
  "f1-micro": "Micro Instance with burstable CPU",
  "g1-small": "Small Instance with 1 VCPU",
};

/** Types whose bill includes parts the catalog's per-vCPU/GiB/GPU rates do not cover. */
const NOT_COMPOSABLE = /-lssd$|^z3-|^m2-|^m4-ultramem-224/;

type Lifecycle = "on-demand" | "spot";
type Component = "core" | "ram" | "gpu" | "instance";

/** The fields of a Sku this source reads (as the client returns them). */
interface Sku {
  description?: string | null;
  category?: { usageType?: string | null } | null;
  serviceRegions?: string[] | null;
  pricingInfo?: Array<{
    pricingExpression?: { usageUnit?: string | null; tieredRates?: Array<{ unitPrice?: { currencyCode?: string | null; units?: unknown; nanos?: number | null } | null }> | null } | null;
  }> | null;
}

const EXPECTED_UNIT: Readonly<Record<Component, string>> = { core: "h", ram: "GiBy.h", gpu: "h", instance: "h" };

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Regexes recognising each stem's on-demand and spot descriptions. */
function matchers(): Array<{ re: RegExp; key: (m: RegExpMatchArray) => { stem: string; component: Component } }> {
  const stems = Object.values(FAMILY_STEM).map(escape).join("|");
  const gpus = GPU_STEM.map(([, stem]) => escape(stem)).join("|");
  const whole = Object.values(WHOLE_INSTANCE_STEM).map(escape).join("|");
  return [
    { re: new RegExp(`^(?:Spot Preemptible )?(${stems}) (Core|Ram) running in `, "i"), key: (m) => ({ stem: m[1]!, component: m[2]!.toLowerCase() === "core" ? "core" : "ram" }) },
    { re: new RegExp(`^(${gpus}) (?:running in|attached to Spot)`, "i"), key: (m) => ({ stem: m[1]!, component: "gpu" }) },
    { re: new RegExp(`^(?:Spot Preemptible )?(${whole}) running in `, "i"), key: (m) => ({ stem: m[1]!, component: "instance" }) },
  ];
}

/** Case-normalised rate key. */
const rateKey = (stem: string, component: Component, lifecycle: Lifecycle, region: string): string => `${stem.toLowerCase()}|${component}|${lifecycle}|${region}`;

/** USD per unit of a SKU's first pricing info: the highest tier (never understate cost). */
function unitPrice(sku: Sku, component: Component, what: string): number | undefined {
  const expr = sku.pricingInfo?.[0]?.pricingExpression;
  if (!expr || expr.usageUnit !== EXPECTED_UNIT[component]) return undefined;
  const prices = (expr.tieredRates ?? []).map((r) => {
    const p = r.unitPrice;
    if (p?.currencyCode !== "USD") throw new LiveSourceError("malformed", `${what}: a rate is not in USD`);
    const usd = Number(p.units ?? 0) + (p.nanos ?? 0) / 1e9;
    if (!Number.isFinite(usd)) throw new LiveSourceError("malformed", `${what}: a rate is not a number`);
    return usd;
  });
  const max = Math.max(0, ...prices);
  return max > 0 ? max : undefined;
}

/** Rates by (stem, component, lifecycle, region) from all SKUs. */
function collectRates(skus: readonly Sku[], regions: ReadonlySet<string>, tally: Tally): Map<string, number> {
  const rates = new Map<string, number>();
  const patterns = matchers();
  for (const sku of skus) {
    const description = sku.description ?? "";
    const usage = sku.category?.usageType;
    const lifecycle: Lifecycle | null = usage === "OnDemand" ? "on-demand" : usage === "Preemptible" ? "spot" : null;
    if (!lifecycle) continue;
    const hit = patterns.map((p) => ({ p, m: description.match(p.re) })).find((x) => x.m);
    if (!hit) continue;
    const { stem, component } = hit.p.key(hit.m!);
    const usd = unitPrice(sku, component, `SKU "${description}"`);
    if (usd === undefined) {
      tally.add("matching SKUs with an unexpected unit or no price (ignored)", description);
      continue;
    }
    for (const region of sku.serviceRegions ?? []) {
      if (!regions.has(region)) continue;
      const key = rateKey(stem, component, lifecycle, region);
      const prev = rates.get(key);
      if (prev !== undefined && prev !== usd) tally.add("rates with conflicting SKUs (higher kept)", `${region} ${description}`);
      rates.set(key, Math.max(prev ?? 0, usd));
    }
  }
  return rates;
}

/** The hourly price of a type in a region for one lifecycle, or undefined when a component is missing. */
function compose(type: string, spec: TypeSpec, region: string, lifecycle: Lifecycle, rates: ReadonlyMap<string, number>): number | undefined {
  const rate = (stem: string, component: Component): number | undefined => rates.get(rateKey(stem, component, lifecycle, region));
  const whole = WHOLE_INSTANCE_STEM[type];
  if (whole) return rate(whole, "instance");
  const stem = FAMILY_STEM[type.split("-")[0] ?? ""];
  if (!stem) return undefined;
  const core = rate(stem, "core");
  const ram = rate(stem, "ram");
  if (core === undefined || ram === undefined) return undefined;
  let usd = spec.vcpu * core + spec.memoryGiB * ram;
  if (spec.gpus > 0) {
    const gpuStem = GPU_STEM.find(([series]) => series.test(type))?.[1];
    const gpu = gpuStem ? rate(gpuStem, "gpu") : undefined;
    if (gpu === undefined) return undefined;
    usd += spec.gpus * gpu;
  }
  return usd;
}

/** Auth options for a Google client: never a path that could probe the metadata server. */
export function gcpAuthOptions(connection: Connection, allowApiKey: boolean, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  if (connection.credentials !== undefined) return { authClient: connection.credentials };
  const apiKey = allowApiKey ? (connection.apiKey ?? env.MULTICLOUD_GCP_API_KEY ?? env.GOOGLE_API_KEY) : undefined;
  // An auth client holding the key, not `{ apiKey }`: given a key, google-gax's GoogleAuth still
  // looks for a project id before the first call (running `gcloud config config-helper`, then
  // asking the GCE metadata server at 169.254.169.254), which an API key never needs.
  if (apiKey) return { authClient: new (require("google-auth-library") as typeof import("google-auth-library")).OAuth2Client({ apiKey }) };
  const adcFile = env.GOOGLE_APPLICATION_CREDENTIALS ?? path.join(env.CLOUDSDK_CONFIG ?? path.join(os.homedir(), ".config", "gcloud"), "application_default_credentials.json");
  if (fs.existsSync(adcFile)) return { keyFilename: adcFile };
  const keyHint = allowApiKey ? "an API key in MULTICLOUD_GCP_API_KEY, or " : "";
  throw new LiveSourceError("credentials", `no GCP credentials: set ${keyHint}GOOGLE_APPLICATION_CREDENTIALS, or run \`gcloud auth application-default login\``);
}

/** Client options for an endpoint override (`http://127.0.0.1:8080` -> host, port, protocol). */
export function gcpEndpointOptions(endpoint: string | undefined): Record<string, unknown> {
  if (!endpoint) return {};
  const url = new URL(endpoint);
  return { apiEndpoint: url.hostname, port: Number(url.port || (url.protocol === "http:" ? 80 : 443)), protocol: url.protocol.replace(":", "") };
}

/** The part of a gaxios instance (an AuthClient's `transporter`) that request interceptors go on. */
interface Transporter {
  interceptors: { request: { add(interceptor: { resolved: (options: { agent?: unknown }) => Promise<{ agent?: unknown }> }): void } };
}

/**
 * Sends a Google client's REST calls through HTTPS_PROXY when it is set (NO_PROXY applied per
 * request). gaxios would read the variables itself, but google-gax's REST transport hands it a
 * keep-alive agent on every call, and gaxios skips its proxy support whenever an agent is given;
 * a request interceptor on the client's auth transporter (gaxios runs them after its own request
 * preparation) swaps in the proxy-aware agents of core/prices/proxy.ts. Token refreshes of
 * application-default credentials go through the same transporter. Call after `initialize()`.
 */
export async function routeThroughProxy(client: { auth: unknown }): Promise<void> {
  const agents = proxyAgents();
  if (!agents) return;
  const auth = client.auth as { getClient?: () => Promise<unknown> };
  const authClient = (typeof auth.getClient === "function" ? await auth.getClient() : auth) as { transporter?: Transporter };
  authClient.transporter?.interceptors.request.add({
    resolved: async (options) => {
      // node-fetch (gaxios' fetch in Node) takes an agent per URL.
      options.agent = (url: URL) => (url.protocol === "https:" ? agents.httpsAgent : agents.httpAgent);
      return options;
    },
  });
}

/** gRPC status codes (as numbers) that google-gax errors carry in `code`. */
const GRPC = { DEADLINE_EXCEEDED: 4, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, INTERNAL: 13, UNAVAILABLE: 14, UNAUTHENTICATED: 16, UNKNOWN: 2 };

/** Maps google-gax errors (gRPC codes, also used by the REST fallback) to failure kinds. */
export function classifyGoogle(err: unknown): LiveSourceError | undefined {
  const common = classifyCommon(err);
  if (common) return common;
  const code = (err as { code?: unknown })?.code;
  const text = errorText(err);
  // The REST transport surfaces HTTP statuses (GaxiosError.status); gRPC codes are 0..16.
  const status = (err as { status?: unknown })?.status;
  if (typeof status === "number" && status >= 400) {
    const kind = kindOfStatus(status);
    return new LiveSourceError(kind, `${kind === "throttled" ? "throttled" : `HTTP ${status}`} (${text.slice(0, 160)})`);
  }
  switch (code) {
    case GRPC.RESOURCE_EXHAUSTED:
      return new LiveSourceError("throttled", `throttled (${text})`);
    case GRPC.UNAVAILABLE:
    case GRPC.INTERNAL:
    case GRPC.UNKNOWN:
      return new LiveSourceError("server", `server error (${text})`);
    case GRPC.DEADLINE_EXCEEDED:
      return new LiveSourceError("timeout", `deadline exceeded (${text})`);
    case GRPC.UNAUTHENTICATED:
    case GRPC.PERMISSION_DENIED:
      return new LiveSourceError("credentials", `GCP refused the credentials (${text})`);
    default:
      return undefined;
  }
}

async function fetchGcpPrices(request: LivePriceRequest): Promise<LivePriceResult> {
  const { CloudCatalogClient } = require("@google-cloud/billing") as typeof import("@google-cloud/billing");
  const client = new CloudCatalogClient({
    fallback: true, // REST: one HTTP request per page, easy to bound and to fake
    ...gcpEndpointOptions(endpointOf(request.connection, "billing", "MULTICLOUD_ENDPOINT_GCP_BILLING")),
    ...gcpAuthOptions(request.connection, true),
    ...request.connection.clientOptions,
  });
  const skus: Sku[] = [];
  let pages: number;
  try {
    // Local set-up (protos, stub, auth client) before the clock starts: no request is sent yet.
    await client.initialize();
    await routeThroughProxy(client);
    pages = await fetchPages({
      what: (n) => `listSkus page ${n}`,
      policy: request.policy,
      classify: classifyGoogle,
      sleep: request.sleep,
      fetch: (pageToken, signal) =>
        abortable(client.listSkus({ parent: COMPUTE_SERVICE, pageSize: PAGE_SIZE, pageToken, currencyCode: "USD" }, { autoPaginate: false, retry: null as never, timeout: request.policy.timeoutMs }), signal),
      next: ([, , raw]) => raw?.nextPageToken,
      onPage: ([page], n) => {
        if (!Array.isArray(page)) throw new LiveSourceError("malformed", `listSkus page ${n}: no skus array`);
        skus.push(...(page as Sku[]));
        request.onProgress?.({ provider: "gcp", message: `SKU page ${n} (${page.length} SKUs)` });
      },
    });
  } finally {
    await client.close().catch(() => undefined);
  }

  const tally = new Tally();
  const rates = collectRates(skus, new Set(request.regions), tally);
  const composable = [...request.knownTypes].filter(([type]) => {
    if (!NOT_COMPOSABLE.test(type)) return true;
    tally.add("types whose bill has parts the catalog cannot compose (local SSD, m2 premium, m4-ultramem-224; left out)", type);
    return false;
  });
  const offers: InstanceOffer[] = [];
  for (const region of request.regions) {
    for (const [type, spec] of composable) {
      const onDemand = compose(type, spec, region, "on-demand", rates);
      if (onDemand === undefined) continue; // not offered in this region (or a rate is missing)
      const spot = compose(type, spec, region, "spot", rates);
      offers.push({
        provider: "gcp",
        region,
        instanceType: type,
        ...spec,
        burstable: false,
        onDemandHourlyUsd: roundPrice(onDemand),
        spotHourlyUsd: spot !== undefined ? roundPrice(spot) : null,
        spotEstimated: false,
      });
    }
  }
  return { offers, pages, notes: tally.notes() };
}

export const gcpLivePrices: LivePriceSource = {
  description: "GCP Cloud Billing Catalog listSkus",
  fetch: fetchGcpPrices,
};
