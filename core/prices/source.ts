/**
 * The contract of a cloud's live price source (`CloudAdapter.livePrices`). A source turns one
 * cloud's public price API into catalog rows for the requested regions, all or nothing: any failed
 * page, timeout or malformed body makes `fetch` throw a LiveSourceError, and the orchestrator
 * (./resolve.ts) falls back for that provider as a whole. A partial catalog is never returned.
 *
 * Sources are stateless and never read or write the cache; `burstable` is set by the orchestrator
 * from the adapter's naming rule, so sources leave it false.
 */
import type { Arch, InstanceOffer } from "../catalog/offer";
import type { RequestPolicy, Sleep } from "./retry";
import { setMaxListeners } from "node:events";
import { LiveSourceError } from "./errors";

/** What a machine type is, for sources whose price API does not say (Azure, GCP). */
export interface TypeSpec {
  vcpu: number;
  memoryGiB: number;
  gpus: number;
  gpuType: string | null;
  arch: Arch;
}

/**
 * How to reach a cloud's APIs. Everything is optional: the defaults are the public endpoints and
 * the SDK's standard credential chain. Tests point `endpoints` at loopback fakes.
 */
export interface Connection {
  /** Base URL per API name (e.g. `pricing`, `ec2`, `retail`, `billing`, `cloudwatch`, `arm`, `monitoring`). */
  endpoints?: Readonly<Record<string, string>>;
  /** An SDK-native credential (AWS credentials or provider, Azure TokenCredential, Google AuthClient). */
  credentials?: unknown;
  /** GCP: an API key for the Cloud Billing Catalog API. */
  apiKey?: string;
  /** Extra SDK client options (e.g. an https agent trusting a test CA). */
  clientOptions?: Readonly<Record<string, unknown>>;
}

export interface Progress {
  provider: string;
  /** What was just fetched, e.g. "us-east-1 products page 3 (300 rows)". */
  message: string;
}

export interface LivePriceRequest {
  regions: readonly string[];
  /** Specs of the machine types this package knows (from the embedded snapshot). */
  knownTypes: ReadonlyMap<string, TypeSpec>;
  connection: Connection;
  policy: RequestPolicy;
  /** Backoff sleep; injectable so that tests do not wait. */
  sleep?: Sleep;
  onProgress?: (p: Progress) => void;
}

export interface LivePriceResult {
  offers: InstanceOffer[];
  /** Pages (HTTP responses with data) read, for progress and the benchmark. */
  pages: number;
  /** Rows skipped and why, e.g. "types without a known spec: 12 (Standard_X1, ...)". */
  notes: string[];
}

export interface LivePriceSource {
  /** The APIs used, for messages: "AWS Price List GetProducts + EC2 DescribeSpotPriceHistory". */
  readonly description: string;
  fetch(request: LivePriceRequest): Promise<LivePriceResult>;
}

/** How to reach the live APIs and how patiently: shared by price resolution, refresh and metrics. */
export interface LiveAccess {
  /** Clock for TTLs, as-of dates and metric windows. */
  now?: () => Date;
  /** Endpoint and credential overrides per provider (loopback fakes in tests). */
  connections?: Readonly<Record<string, Connection>>;
  policy?: Partial<RequestPolicy>;
  sleep?: Sleep;
  /**
   * One deadline over the whole live fetch (prices and metrics of every provider): when it aborts,
   * every request in flight is cancelled, no retry starts, and each provider not yet answered falls
   * back on its own. Made from `liveTimeoutSeconds` when absent (see `liveDeadline`).
   */
  deadline?: AbortSignal;
  /** `--live-timeout` / MULTICLOUD_LIVE_TIMEOUT: seconds for the deadline (default 20 for plans). */
  liveTimeoutSeconds?: number;
}

/** The default of `--live-timeout`: a CI preview waits at most this long for live data. */
export const DEFAULT_LIVE_TIMEOUT_SECONDS = 20;

/**
 * An AbortSignal that aborts after `seconds` with a "timeout" LiveSourceError as its reason, so
 * that every fallback warning says which deadline passed. Its timer never keeps the process alive.
 */
export function liveDeadline(seconds: number): AbortSignal {
  const controller = new AbortController();
  // Every request in flight listens on it (many regions, pages and retries): no leak warning.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(
    () => controller.abort(new LiveSourceError("timeout", `no answer within the ${seconds} s live-data deadline (--live-timeout)`)),
    Math.max(0, seconds * 1000),
  );
  timer.unref?.();
  return controller.signal;
}

/** The deadline of a live operation: the one given, else one from `liveTimeoutSeconds` (else the default, when `fallbackSeconds` is given). */
export function deadlineOf(access: LiveAccess, fallbackSeconds?: number): AbortSignal | undefined {
  if (access.deadline) return access.deadline;
  const seconds = access.liveTimeoutSeconds ?? fallbackSeconds;
  return seconds === undefined ? undefined : liveDeadline(seconds);
}

/**
 * The base URL of one API: the connection's override (tests), else the environment variable
 * (`MULTICLOUD_ENDPOINT_AZURE_PRICES` and friends: a proxy, a private endpoint or a fake), else
 * undefined (the public endpoint). A variable that is not an http(s) URL is a "rejected" failure,
 * so the provider falls back with a warning that names the variable.
 */
export function endpointOf(connection: Connection, api: string, variable: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = connection.endpoints?.[api];
  if (given) return given;
  const value = env[variable]?.trim();
  if (!value) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new LiveSourceError("rejected", `${variable} is not an http(s) base URL: ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value)}`);
  }
  return value;
}
