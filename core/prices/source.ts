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
}
