/**
 * @pulumi/pulumi records a stack trace on every promise it wraps (`runtime/debuggable.js`,
 * `new Error().stack`, async frames included), for one purpose: its promise-leak report prints them,
 * and only when `PULUMI_DEBUG_PROMISE_LEAKS` is set. Without that variable the stacks are captured
 * and never read. A Construct of the web workload wraps thousands of promises; capturing their
 * stacks was 2.6 s of 9.4 s in the heaviest mocked-engine test file
 * (test/components/workload.output-inputs.test.ts).
 *
 * `skipUnreadPromiseStacks` keeps the SDK's function and its leak detection, and captures no frames
 * around its call when nothing would print them. Used by the plugin (provider/index.ts) and by the
 * tests' mocked engines. Where the SDK's layout differs (no such module or export), nothing changes.
 */

/** Marks the replacement on the SDK's export itself: a second call (another module instance of this file) sees it. */
const SKIPS_STACKS = Symbol.for("pulumi-multicloud.skipsPromiseStacks");

type RecordPromise = ((...args: unknown[]) => unknown) & { [SKIPS_STACKS]?: true };

export function skipUnreadPromiseStacks(env: NodeJS.ProcessEnv = process.env): void {
  if (env.PULUMI_DEBUG_PROMISE_LEAKS) return;
  let debuggable: { debuggablePromise?: unknown };
  try {
    debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise?: unknown };
  } catch {
    return;
  }
  const record = debuggable.debuggablePromise as RecordPromise | undefined;
  if (typeof record !== "function" || record[SKIPS_STACKS]) return;
  // The SDK's modules call it as `debuggable_1.debuggablePromise(...)`, a property read at each
  // call, so the replaced export reaches every caller, including modules already loaded.
  const skipping: RecordPromise = (...args: unknown[]) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return record(...args);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  skipping[SKIPS_STACKS] = true;
  debuggable.debuggablePromise = skipping;
}
