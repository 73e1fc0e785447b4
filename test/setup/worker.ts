/**
 * Runs in every test worker before its test file (vitest `setupFiles`). Three costs of running
 * the tests, not of the code under test (the first measured on test/components/workload.pinned.test.ts):
 *
 * - @pulumi/pulumi records `new Error().stack` on every promise it wraps (runtime/debuggable.js,
 *   for its promise-leak report), and vitest maps every frame of every stack through source maps:
 *   3.0 of the file's 12 s of tests (formatting them plainly still took 0.9 s of 10.5). They are
 *   printed only in a leak report, so in tests they keep the error line and no frames; every other
 *   stack (a failing test's) is still source-mapped.
 * - @pulumi/pulumi loads the TypeScript compiler and arborist at import, for closure
 *   serialization only: the plugin's own deferral (provider/defer-closure-deps.ts) saves ~0.6 s
 *   in each of the ~40 files that import the SDK; a test that serializes a closure still gets them.
 * - HiGHS's WebAssembly stays on V8's baseline compiler, as in the CLI (bin/multicloud.js): each
 *   file compiles it anew, and tiering up to TurboFan cost more CPU than it saved, even in the
 *   property tests' hundreds of solves (six heavy files: 42.6 -> 35.2 s of CPU). Same results:
 *   WebAssembly computes the same values whichever compiler runs it.
 */
import * as v8 from "node:v8";
import "../../provider/defer-closure-deps";

v8.setFlagsFromString("--liftoff-only");

const sourceMapped = Error.prepareStackTrace;
const PULUMI_DEBUG_STACK = /[/\\]@pulumi[/\\]pulumi[/\\]runtime[/\\]debuggable\.js$/;

Error.prepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) => {
  if (PULUMI_DEBUG_STACK.test(sites[0]?.getFileName() ?? "")) return `${String(error)}\n    at (a promise of @pulumi/pulumi: frames not kept in tests)`;
  if (!sourceMapped) return `${String(error)}${sites.map((site) => `\n    at ${String(site)}`).join("")}`;
  return sourceMapped(error, sites);
};
