/**
 * Runs in every test worker before each test file (vitest `setupFiles`). A worker runs many files
 * one after another (vitest.config.ts: `isolate: false`), so each file starts from the environment
 * variables the worker started with, whatever the file before it set.
 *
 * Two costs of running the tests, not of the code under test (a third, the SDK's promise stacks, is
 * skipped by the mocked engines that create them: provider/promise-stacks.ts):
 *
 * - @pulumi/pulumi loads the TypeScript compiler and arborist at import, for closure
 *   serialization only: the plugin's own deferral (provider/defer-closure-deps.ts) saves ~0.6 s
 *   in each worker that imports the SDK; a test that serializes a closure still gets them.
 * - HiGHS's WebAssembly stays on V8's baseline compiler, as in the CLI (bin/multicloud.js): each
 *   worker compiles it anew, and tiering up to TurboFan cost more CPU than it saved, even in the
 *   property tests' hundreds of solves (six heavy files: 42.6 -> 35.2 s of CPU). Same results:
 *   WebAssembly computes the same values whichever compiler runs it.
 */
import * as v8 from "node:v8";
import fc from "fast-check";
import "../../provider/defer-closure-deps";
import { restoreEnv } from "../helpers/env";

v8.setFlagsFromString("--liftoff-only");

const worker = globalThis as { workerEnv?: Record<string, string | undefined> };
worker.workerEnv ??= { ...process.env };
restoreEnv(worker.workerEnv);

// Property tests draw the same cases on every run and machine: a property that names no seed of its
// own uses this one (fast-check still prints the seed and path of any failure to replay it).
fc.configureGlobal({ seed: 20261128 });
