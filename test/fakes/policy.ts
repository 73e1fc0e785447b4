/** Request limits for tests: three attempts, no real backoff waits. */
import type { RequestPolicy } from "../../core/prices/retry";

/**
 * For fakes that answer: a timeout no loopback answer comes near, even on a loaded machine (a
 * 500 ms timeout used to fire, and retry, when the test machine was busy).
 */
export const FAST_POLICY: RequestPolicy = { timeoutMs: 10_000, attempts: 3, baseDelayMs: 1, maxDelayMs: 2, concurrency: 2 };

/** For a fake that never answers ("hang"): the timeout is the event under test, so it is short. */
export const HANG_POLICY: RequestPolicy = { ...FAST_POLICY, timeoutMs: 300 };

/** Backoff sleep that returns at once (the retry count is what tests check, not the waiting). */
export const noSleep = async (): Promise<void> => undefined;
