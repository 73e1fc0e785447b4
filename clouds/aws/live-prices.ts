/**
 * AWS live prices: the Price List Query API (`GetProducts`, paginated) for on-demand prices and
 * specs, and EC2 `DescribeSpotPriceHistory` (paginated) for spot prices, one region at a time with
 * bounded concurrency.
 *
 * On-demand rows: Linux, shared tenancy, no pre-installed software, capacitystatus Used, market
 * option OnDemand; the price is the OnDemand term's hourly USD rate. Spot: the price in effect now
 * in each availability zone (the latest entry per zone), and the region gets the HIGHEST of its
 * zones' prices: an auto scaling group may land in any zone, so a plan never understates spot
 * cost. A spot price at or above on-demand is no discount and is left out.
 *
 * Credentials come from the SDK's standard chain. So that a machine without any AWS setup fails
 * fast instead of probing the instance metadata service (169.254.169.254), the chain is only used
 * when the environment or ~/.aws shows some credential source (see `awsCredentials`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { InstanceOffer } from "../../core/catalog/offer";
import { LiveSourceError, classifyCommon, errorText, retryAfterSeconds } from "../../core/prices/errors";
import { proxyAgents } from "../../core/prices/proxy";
import { fetchPages, mapLimit } from "../../core/prices/retry";
import type { Connection, LivePriceRequest, LivePriceResult, LivePriceSource } from "../../core/prices/source";
import { Tally, roundPrice } from "../../core/clouds/snapshot-helpers";
import { awsGpus } from "./gpu-types";

/** The Price List API is served from us-east-1 (also eu-central-1, ap-south-1); prices cover every region. */
const PRICING_REGION = "us-east-1";

const ON_DEMAND_FILTERS: ReadonlyArray<[string, string]> = [
  ["operatingSystem", "Linux"],
  ["tenancy", "Shared"],
  ["preInstalledSw", "NA"],
  ["capacitystatus", "Used"],
  ["marketoption", "OnDemand"],
];

const THROTTLING = new Set(["ThrottlingException", "Throttling", "RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled", "SlowDown"]);
const AUTH = new Set(["CredentialsProviderError", "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure", "AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "ExpiredToken", "ExpiredTokenException"]);

/** Maps AWS SDK errors to failure kinds (shared by the price and metrics sources). */
export function classifyAws(err: unknown): LiveSourceError | undefined {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };
  const status = e?.$metadata?.httpStatusCode;
  const name = e?.name ?? "";
  if (AUTH.has(name) || status === 401 || status === 403) return new LiveSourceError("credentials", `AWS refused the credentials or found none (${name}: ${errorText(err)})`);
  if (THROTTLING.has(name) || status === 429) return new LiveSourceError("throttled", `throttled (${name || status})`, retryAfterSeconds(e.$response?.headers?.["retry-after"]));
  if (status !== undefined && status >= 500) return new LiveSourceError("server", `server error ${status} (${name})`);
  const common = classifyCommon(err);
  if (common) return common;
  // A 2xx whose body the SDK could not deserialize.
  if (status !== undefined && status < 300) return new LiveSourceError("malformed", `unreadable response body (${errorText(err)})`);
  return undefined;
}

/**
 * Explicit credentials when given; undefined (= the SDK's standard chain) when the environment
 * shows a credential source; otherwise a fast "credentials" failure.
 */
export function awsCredentials(connection: Connection, env: NodeJS.ProcessEnv = process.env): unknown {
  if (connection.credentials !== undefined) return connection.credentials;
  const home = os.homedir();
  const files = [env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, ".aws", "credentials"), env.AWS_CONFIG_FILE ?? path.join(home, ".aws", "config")];
  const signals =
    Boolean(env.AWS_ACCESS_KEY_ID) || Boolean(env.AWS_PROFILE) || Boolean(env.AWS_WEB_IDENTITY_TOKEN_FILE) ||
    Boolean(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) || Boolean(env.AWS_CONTAINER_CREDENTIALS_FULL_URI) ||
    env.AWS_EC2_METADATA_DISABLED === "false" || files.some((f) => fs.existsSync(f));
  if (!signals) {
    throw new LiveSourceError(
      "credentials",
      "no AWS credentials found (AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws/credentials or ~/.aws/config); on EC2, set AWS_EC2_METADATA_DISABLED=false to use the instance role",
    );
  }
  return undefined;
}

/**
 * Common client settings: our retry loop only (maxAttempts 1), endpoint and credential overrides,
 * and, when HTTPS_PROXY or HTTP_PROXY is set, agents that go through it (the SDK reads no proxy
 * variable itself; NO_PROXY is applied per request, see core/prices/proxy.ts).
 */
export function awsClientConfig(connection: Connection, api: string, region: string): Record<string, unknown> {
  const endpoint = connection.endpoints?.[api];
  const credentials = awsCredentials(connection);
  const agents = proxyAgents();
  return {
    region,
    maxAttempts: 1,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    // NodeHttpHandler options (the SDK builds its handler from them).
    ...(agents ? { requestHandler: { httpAgent: agents.httpAgent, httpsAgent: agents.httpsAgent } } : {}),
    ...connection.clientOptions,
  };
}

/** The SDK's documented opt-out of its Node-version notice (https://github.com/aws/aws-sdk-js-v3/issues/7983). */
const NODE_VERSION_WARNING_OPT_OUT = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

/**
 * Builds an AWS SDK client without the SDK's 9-line "versions published after January 2027 will
 * require node >=22" notice, which it emits from the client constructor on Node 20: it is about the
 * SDK's future releases, not about this run, and would follow every `--live` run. Only that notice
 * is affected (the SDK reads the variable for nothing else), only while the constructor runs, and
 * a value the user set is left alone.
 */
export function newAwsClient<T>(make: () => T, env: NodeJS.ProcessEnv = process.env): T {
  if (env[NODE_VERSION_WARNING_OPT_OUT] !== undefined) return make();
  env[NODE_VERSION_WARNING_OPT_OUT] = "true";
  try {
    return make();
  } finally {
    delete env[NODE_VERSION_WARNING_OPT_OUT];
  }
}

interface RegionPrices {
  offers: InstanceOffer[];
  pages: number;
}

async function fetchAwsPrices(request: LivePriceRequest): Promise<LivePriceResult> {
  const { PricingClient, GetProductsCommand } = require("@aws-sdk/client-pricing") as typeof import("@aws-sdk/client-pricing");
  const { EC2Client, DescribeSpotPriceHistoryCommand } = require("@aws-sdk/client-ec2") as typeof import("@aws-sdk/client-ec2");
  const pricing = newAwsClient(() => new PricingClient(awsClientConfig(request.connection, "pricing", PRICING_REGION)));
  const tally = new Tally();
  const progress = (message: string): void => request.onProgress?.({ provider: "aws", message });

  async function onDemand(region: string): Promise<{ offers: Map<string, InstanceOffer>; pages: number }> {
    const offers = new Map<string, InstanceOffer>();
    const Filters = [["regionCode", region] as const, ...ON_DEMAND_FILTERS].map(([Field, Value]) => ({ Type: "TERM_MATCH" as const, Field, Value }));
    const pages = await fetchPages({
      what: (n) => `GetProducts page ${n} for ${region}`,
      policy: request.policy,
      classify: classifyAws,
      sleep: request.sleep,
      fetch: (NextToken, abortSignal) => pricing.send(new GetProductsCommand({ ServiceCode: "AmazonEC2", FormatVersion: "aws_v1", Filters, MaxResults: 100, NextToken }), { abortSignal }),
      next: (out) => out.NextToken,
      onPage: (out, n) => {
        const items = Array.from((out.PriceList ?? []) as unknown as Iterable<unknown>);
        for (const item of items) addProduct(offers, parseProduct(item, region, n), region, tally);
        progress(`${region} products page ${n} (${items.length} rows)`);
      },
    });
    return { offers, pages };
  }

  async function spot(region: string): Promise<{ prices: Map<string, number>; pages: number }> {
    const ec2 = newAwsClient(() => new EC2Client(awsClientConfig(request.connection, "ec2", region)));
    const latest = new Map<string, { at: number; usd: number }>(); // key: type/zone
    const now = new Date();
    const pages = await fetchPages({
      what: (n) => `DescribeSpotPriceHistory page ${n} for ${region}`,
      policy: request.policy,
      classify: classifyAws,
      sleep: request.sleep,
      fetch: (NextToken, abortSignal) =>
        ec2.send(new DescribeSpotPriceHistoryCommand({ ProductDescriptions: ["Linux/UNIX"], StartTime: now, EndTime: now, MaxResults: 1000, NextToken }), { abortSignal }),
      next: (out) => out.NextToken,
      onPage: (out, n) => {
        for (const h of out.SpotPriceHistory ?? []) {
          const usd = Number(h.SpotPrice);
          const at = h.Timestamp?.getTime();
          if (!h.InstanceType || !h.AvailabilityZone || !(usd > 0) || at === undefined || Number.isNaN(at)) {
            throw new LiveSourceError("malformed", `DescribeSpotPriceHistory page ${n} for ${region}: entry without type, zone, price or time`);
          }
          const key = `${h.InstanceType}/${h.AvailabilityZone}`;
          const prev = latest.get(key);
          if (!prev || at > prev.at) latest.set(key, { at, usd });
        }
        progress(`${region} spot page ${n} (${out.SpotPriceHistory?.length ?? 0} rows)`);
      },
    });
    const prices = new Map<string, number>();
    for (const [key, { usd }] of latest) {
      const type = key.slice(0, key.lastIndexOf("/"));
      prices.set(type, Math.max(prices.get(type) ?? 0, usd));
    }
    return { prices, pages };
  }

  const perRegion = await mapLimit(request.regions, request.policy.concurrency, async (region): Promise<RegionPrices> => {
    const [od, sp] = await Promise.all([onDemand(region), spot(region)]);
    const offers = [...od.offers.values()].map((o) => withSpot(o, sp.prices.get(o.instanceType)));
    return { offers, pages: od.pages + sp.pages };
  });
  return {
    offers: perRegion.flatMap((r) => r.offers),
    pages: perRegion.reduce((n, r) => n + r.pages, 0),
    notes: tally.notes(),
  };
}

/** Spot prices are taken as quoted; core/prices/live.ts drops any not below on-demand, for every cloud. */
function withSpot(o: InstanceOffer, spot: number | undefined): InstanceOffer {
  return spot === undefined ? o : { ...o, spotHourlyUsd: roundPrice(spot) };
}

type Parsed = { offer: InstanceOffer } | { skip: string; example: string };

/** One Price List product (a JSON string in `PriceList`) as an offer, or why it is skipped. */
function parseProduct(item: unknown, region: string, page: number): Parsed {
  let product: AwsProduct;
  try {
    product = JSON.parse(String(item)) as AwsProduct;
  } catch {
    throw new LiveSourceError("malformed", `GetProducts page ${page} for ${region}: a PriceList entry is not JSON`);
  }
  const a = product?.product?.attributes;
  if (!a || typeof a.instanceType !== "string") throw new LiveSourceError("malformed", `GetProducts page ${page} for ${region}: a product has no attributes.instanceType`);
  const type = a.instanceType;
  if (a.regionCode !== region) return { skip: "products for another region (ignored)", example: `${type} ${a.regionCode ?? ""}` };
  if (/^mac/.test(type)) return { skip: "mac dedicated-host types (not Linux VMs)", example: type };
  const vcpu = Number(a.vcpu);
  const memoryGiB = Number((a.memory ?? "").replace(/,/g, "").replace(/\s*GiB$/i, ""));
  if (!(vcpu > 0) || !(memoryGiB > 0)) return { skip: "types without vCPU or memory", example: type };
  const { gpus, gpuType } = awsGpus(type, Number(a.gpu ?? 0) || 0);
  if (gpuType === "?") return { skip: "GPU types of a family without a known GPU model", example: type };
  const usd = onDemandUsd(product);
  if (usd === undefined) return { skip: "products without one hourly USD on-demand price", example: type };
  return {
    offer: {
      provider: "aws",
      region,
      instanceType: type,
      vcpu,
      memoryGiB,
      gpus,
      gpuType,
      arch: /graviton/i.test(a.physicalProcessor ?? "") ? "arm64" : "x86_64",
      burstable: false,
      onDemandHourlyUsd: roundPrice(usd),
      spotHourlyUsd: null,
      spotEstimated: false,
    },
  };
}

/** The single hourly USD rate of the product's OnDemand term; undefined when absent, zero or ambiguous. */
function onDemandUsd(product: AwsProduct): number | undefined {
  const dims = Object.values(product.terms?.OnDemand ?? {}).flatMap((t) => Object.values(t.priceDimensions ?? {}));
  const hourly = dims.filter((d) => d.unit === "Hrs").map((d) => Number(d.pricePerUnit?.USD));
  return hourly.length === 1 && hourly[0]! > 0 ? hourly[0] : undefined;
}

function addProduct(offers: Map<string, InstanceOffer>, parsed: Parsed, region: string, tally: Tally): void {
  if ("skip" in parsed) {
    tally.add(`${parsed.skip}`, parsed.example);
    return;
  }
  const prev = offers.get(parsed.offer.instanceType);
  if (prev && prev.onDemandHourlyUsd !== parsed.offer.onDemandHourlyUsd) {
    // Two matching products disagree: keep the higher price, never understate cost.
    tally.add(`types with conflicting on-demand products (higher price kept)`, `${region} ${parsed.offer.instanceType}`);
    if (prev.onDemandHourlyUsd > parsed.offer.onDemandHourlyUsd) return;
  }
  offers.set(parsed.offer.instanceType, parsed.offer);
}

/** The parts of a Price List product (format aws_v1) this source reads. */
interface AwsProduct {
  product?: { attributes?: Record<string, string | undefined> & { instanceType?: string } };
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { unit?: string; pricePerUnit?: { USD?: string } }> }> };
}

export const awsLivePrices: LivePriceSource = {
  description: "AWS Price List GetProducts + EC2 DescribeSpotPriceHistory",
  fetch: fetchAwsPrices,
};

