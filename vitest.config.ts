import * as os from "node:os";
import { defineConfig } from "vitest/config";

// One worker more than cores: vitest's default (cores - 1) ran one file at a time on the 2-core CI
// machine while it waited on subprocesses and sockets; 3 workers took the suite from 6:05 to 4:44.
const workers = os.availableParallelism() + 1;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Worker processes, each running many files in turn (isolate: false): a file's modules,
    // @pulumi/pulumi and the cloud SDKs among them, load once per worker, not once per file. Loading
    // them was half the suite's CPU: 3:05 -> 1:29 on 2 cores. What a file leaves behind is reset
    // where it matters: the mocked engines set Pulumi's options and mocks afresh for each test
    // (test/components/harness.ts, test/backup/helpers/mock-engine.ts) and each file starts from
    // the worker's environment variables (test/setup/worker.ts). Suites pass in shuffled orders.
    pool: "forks",
    isolate: false,
    maxWorkers: workers,
    minWorkers: workers,
    globalSetup: ["test/setup/build.ts"],
    setupFiles: ["test/setup/worker.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
