/**
 * provider/promise-stacks.ts: the plugin (and the tests' mocked engines) skip the stack trace the
 * SDK records on every promise it wraps, unless PULUMI_DEBUG_PROMISE_LEAKS asks for the leak report
 * that prints them. The SDK's leak detection must keep working either way. Each case runs in its
 * own node process on the built package (dist/), as the plugin does: the skip is process-wide.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");

/** What a process that calls skipUnreadPromiseStacks sees, with `env` as its environment. */
function probe(env: Record<string, string>): { stack: string; wrappedOnce: boolean; leakTracked: boolean; leakCleared: boolean; otherStack: string; limit: number } {
  const script = `
    const { skipUnreadPromiseStacks } = require("./dist/provider/promise-stacks.js");
    const debuggable = require("@pulumi/pulumi/runtime/debuggable");
    skipUnreadPromiseStacks();
    const first = debuggable.debuggablePromise;
    skipUnreadPromiseStacks();
    const wrappedOnce = debuggable.debuggablePromise === first;
    let resolve;
    const p = new Promise((r) => (resolve = r));
    const settled = debuggable.debuggablePromise(p, "probe");
    const leakTracked = debuggable.leakedPromises()[0].has(p);
    resolve(1);
    settled.then(() => {
      const out = { stack: p._debugStackTrace, wrappedOnce, leakTracked, leakCleared: !debuggable.leakedPromises()[0].has(p), otherStack: new Error("other").stack, limit: Error.stackTraceLimit };
      process.stdout.write(JSON.stringify(out));
    });`;
  const { PULUMI_DEBUG_PROMISE_LEAKS: _, ...inherited } = process.env;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, env: { ...inherited, ...env }, encoding: "utf8" }));
}

describe("the SDK's per-promise stacks", () => {
  it("are kept when PULUMI_DEBUG_PROMISE_LEAKS is set (its leak report prints them)", () => {
    const seen = probe({ PULUMI_DEBUG_PROMISE_LEAKS: "1" });
    expect(seen.stack).toMatch(/\n\s+at /);
    expect(seen.leakTracked && seen.leakCleared).toBe(true);
  });

  it("are not captured otherwise; the leak detector still tracks the promise, and other stacks keep their frames", () => {
    const seen = probe({});
    expect(seen.stack).not.toMatch(/\n\s+at /);
    expect(seen.leakTracked && seen.leakCleared).toBe(true);
    expect(seen.limit).toBe(10);
    expect(seen.wrappedOnce).toBe(true); // a second call (the plugin and a test harness both call it) adds no second wrapper
    expect(seen.otherStack).toMatch(/\n\s+at /);
  });
});
