/**
 * Bounded, retried requests for every live source (prices and metrics). Each attempt gets its own
 * timeout signal; retryable failures (throttling, 5xx, timeouts, network) are retried with
 * exponential backoff, honouring the server's Retry-After up to the cap. Everything else fails at
 * once. The SDKs' own retries are switched off where the sources build their clients, so this is
 * the only retry loop and its limits are the ones tests set.
 */
import { LiveSourceError, asLiveError } from "./errors";

export interface RequestPolicy {
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Attempts per request, the first included. */
  attempts: number;
  /** Backoff before retry n (1-based) is min(maxDelayMs, baseDelayMs x 2^(n-1)), with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Requests in flight at once per provider (regions fetched in parallel). */
  concurrency: number;
  /**
   * The overall live-data deadline (LiveAccess.deadline): aborts the attempt in flight and any
   * backoff, and no retry starts after it.
   */
  deadline?: AbortSignal;
}

/** Defaults for real clouds: a dead endpoint costs at most ~3 x 10 s, a throttled one backs off to 8 s. */
export const DEFAULT_POLICY: RequestPolicy = { timeoutMs: 10_000, attempts: 3, baseDelayMs: 500, maxDelayMs: 8_000, concurrency: 4 };

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, fails with a final error, or runs out of attempts. `what`
 * names the request in the final message ("GetProducts page 3 for us-east-1").
 */
export async function withRetry<T>(
  what: string,
  policy: RequestPolicy,
  attempt: (signal: AbortSignal) => Promise<T>,
  classify: (err: unknown) => LiveSourceError | undefined,
  sleep: Sleep = realSleep,
): Promise<T> {
  const deadline = policy.deadline;
  for (let n = 1; ; n++) {
    if (deadline?.aborted) throw deadlineError(what, deadline);
    const perAttempt = AbortSignal.timeout(policy.timeoutMs);
    try {
      const signal = deadline ? AbortSignal.any([perAttempt, deadline]) : perAttempt;
      return await (deadline ? untilDeadline(attempt(signal), deadline) : attempt(signal));
    } catch (err) {
      if (deadline?.aborted) throw deadlineError(what, deadline);
      const failure = asLiveError(err, classify);
      if (!failure.retryable || n >= policy.attempts) {
        const tries = n > 1 ? ` (after ${n} attempts)` : "";
        throw new LiveSourceError(failure.kind, `${what}: ${failure.message}${tries}`);
      }
      const pause = sleep(backoffMs(n, policy, failure.retryAfterSeconds));
      await (deadline ? untilDeadline(pause, deadline).catch(() => undefined) : pause);
    }
  }
}

/** The final error of a request cut off by the overall deadline: "<what>: no answer within ...". */
function deadlineError(what: string, deadline: AbortSignal): LiveSourceError {
  const reason: unknown = deadline.reason;
  const why = reason instanceof LiveSourceError ? reason.message : "the live-data deadline passed";
  return new LiveSourceError("timeout", `${what}: ${why}`);
}

/**
 * `work`, or a rejection as soon as `deadline` aborts, whichever comes first: for calls that do
 * not (or not promptly) honour their signal. The work itself is not awaited after the deadline.
 */
export function untilDeadline<T>(work: Promise<T>, deadline: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(deadline.reason instanceof Error ? deadline.reason : new LiveSourceError("timeout", "the live-data deadline passed"));
    if (deadline.aborted) {
      work.catch(() => undefined);
      return onAbort();
    }
    deadline.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        deadline.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        deadline.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** Delay before retry `n`: exponential with "equal jitter" (half fixed, half random), capped. */
export function backoffMs(n: number, policy: RequestPolicy, retryAfterSeconds?: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
  const jittered = exp / 2 + (Math.random() * exp) / 2;
  const asked = retryAfterSeconds === undefined ? 0 : Math.min(policy.maxDelayMs, retryAfterSeconds * 1000);
  return Math.max(jittered, asked);
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results keep input order. The
 * first rejection rejects the whole (callers want all or nothing), after in-flight calls settle.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw failed.err;
  return results;
}

/**
 * Rejects with a TimeoutError when `signal` aborts, for clients that take no AbortSignal (the
 * Google clients); calls the call's own `cancel()` when it has one, so the socket is released.
 */
export function abortable<T>(call: Promise<T> & { cancel?: () => void }, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      call.cancel?.();
      reject(Object.assign(new Error("request timed out"), { name: "TimeoutError" }));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    call.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

export interface PagedRequest<P> {
  /** Names page n (1-based) in messages: "GetProducts page 3 for us-east-1". */
  what: (page: number) => string;
  policy: RequestPolicy;
  classify: (err: unknown) => LiveSourceError | undefined;
  sleep?: Sleep;
  /** Fetches the page after `token` (undefined: the first page). */
  fetch: (token: string | undefined, signal: AbortSignal) => Promise<P>;
  /** The next page's token; empty or undefined at the end. */
  next: (page: P) => string | null | undefined;
  onPage: (page: P, n: number) => void;
}

/**
 * Reads every page of a paginated API, each page retried on its own; the first page that fails
 * for good fails the whole read. Returns the number of pages read.
 */
export async function fetchPages<P>(r: PagedRequest<P>): Promise<number> {
  let token: string | undefined;
  let n = 0;
  do {
    n++;
    const current = token;
    const page = await withRetry(r.what(n), r.policy, (signal) => r.fetch(current, signal), r.classify, r.sleep);
    r.onPage(page, n);
    token = r.next(page) || undefined;
  } while (token);
  return n;
}
