/** Request limits for tests: short timeouts, three attempts, no real backoff waits. */
import type { RequestPolicy } from "../../core/prices/retry";

export const FAST_POLICY: RequestPolicy = { timeoutMs: 500, attempts: 3, baseDelayMs: 1, maxDelayMs: 2, concurrency: 2 };

/** Backoff sleep that returns at once (the retry count is what tests check, not the waiting). */
export const noSleep = async (): Promise<void> => undefined;
