/**
 * The one error type every live source (prices and metrics) throws. The orchestrators catch it and
 * turn it into a fallback plus a warning, so its message must read well after "aws: ": it names
 * what failed (request, page, region) and why, never a credential.
 *
 * `kind` decides retries: throttled, server, timeout and network failures are retried with
 * backoff; the others are final on the first occurrence.
 */

export const FAILURE_KINDS = [
  "credentials", // no credentials found, or the API refused them
  "throttled", // 429, ThrottlingException, RequestLimitExceeded, RESOURCE_EXHAUSTED
  "server", // 5xx
  "timeout", // no answer within the request timeout
  "network", // connection refused or reset, DNS failure
  "malformed", // a body that does not parse or lacks required fields
  "empty", // a well-formed answer with nothing usable in it (e.g. no prices for a region)
  "rejected", // any other 4xx: the request itself is wrong
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

const RETRYABLE: ReadonlySet<FailureKind> = new Set(["throttled", "server", "timeout", "network"]);

export class LiveSourceError extends Error {
  override readonly name = "LiveSourceError";
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** Seconds the server asked us to wait (Retry-After), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** `err` as a LiveSourceError, classifying unknown errors with `classify` (per-SDK rules). */
export function asLiveError(err: unknown, classify: (err: unknown) => LiveSourceError | undefined): LiveSourceError {
  if (err instanceof LiveSourceError) return err;
  return classify(err) ?? new LiveSourceError("rejected", errorText(err));
}

/** A one-line description of any thrown value, for messages. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message.split("\n")[0] || err.name;
  return String(err);
}

/** Node's network error codes: the connection never produced an answer. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "UND_ERR_SOCKET"]);

/**
 * Classification shared by every SDK: timeouts (our AbortSignal or the SDK's own), network codes
 * anywhere in the cause chain, and JSON syntax errors. Undefined when none applies.
 */
export function classifyCommon(err: unknown): LiveSourceError | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, code } = e as { name?: string; code?: unknown };
    if (name === "TimeoutError" || name === "AbortError" || code === "ETIMEDOUT" || code === "UND_ERR_HEADERS_TIMEOUT") {
      return new LiveSourceError("timeout", "no answer within the request timeout");
    }
    if (typeof code === "string" && NETWORK_CODES.has(code)) return new LiveSourceError("network", `network error ${code}`);
    if (name === "SyntaxError") return new LiveSourceError("malformed", `response is not valid JSON/XML: ${errorText(e)}`);
  }
  return undefined;
}

/** Failure kind of an HTTP status, for sources that see raw statuses. */
export function kindOfStatus(status: number): FailureKind {
  if (status === 429) return "throttled";
  if (status === 401 || status === 403) return "credentials";
  if (status >= 500) return "server";
  return "rejected";
}

/** Parses a Retry-After header given in seconds (the HTTP-date form is ignored: backoff applies). */
export function retryAfterSeconds(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const n = Number(header);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
