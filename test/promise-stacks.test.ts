/**
 * provider/promise-stacks.ts: the plugin (and the tests' mocked engines) skip the stack trace the
 * SDK records on every promise it wraps, unless PULUMI_DEBUG_PROMISE_LEAKS asks for the leak report
 * that prints them. The SDK's leak detection itself must keep working either way.
 */
import { describe, expect, it } from "vitest";
import { skipUnreadPromiseStacks } from "../provider/promise-stacks";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise: <T>(p: Promise<T>, ctx: string) => Promise<T>;
  leakedPromises: () => [Set<Promise<unknown>>, string];
};

type Recorded = Promise<unknown> & { _debugStackTrace?: string; _debugCtx?: string };

describe("the SDK's per-promise stacks", () => {
  it("are kept when PULUMI_DEBUG_PROMISE_LEAKS is set (its leak report prints them)", () => {
    const before = debuggable.debuggablePromise;
    skipUnreadPromiseStacks({ PULUMI_DEBUG_PROMISE_LEAKS: "1" });
    expect(debuggable.debuggablePromise).toBe(before);
    const p: Recorded = Promise.resolve(1);
    debuggable.debuggablePromise(p, "kept");
    expect(p._debugStackTrace).toMatch(/\n\s+at /);
  });

  it("are not captured otherwise; the leak detector still tracks the promise, and other stacks keep their frames", async () => {
    skipUnreadPromiseStacks({});
    let resolve!: (v: number) => void;
    const p: Recorded = new Promise<number>((r) => (resolve = r));
    const settled = debuggable.debuggablePromise(p, "skipped");
    expect(p._debugCtx).toBe("skipped");
    expect(p._debugStackTrace).not.toMatch(/\n\s+at /);
    expect([...debuggable.leakedPromises()[0]]).toContain(p);
    resolve(1);
    await settled;
    expect([...debuggable.leakedPromises()[0]]).not.toContain(p);
    expect(Error.stackTraceLimit).toBeGreaterThan(0);
    expect(new Error("other").stack).toMatch(/\n\s+at /);
  });
});
