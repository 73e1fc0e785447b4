import * as os from "node:os";
import { defineConfig } from "vitest/config";

// One worker more than cores: vitest's default (cores - 1) ran one file at a time on the 2-core CI
// machine while it waited on subprocesses and sockets; 3 workers took the suite from 6:05 to 4:44.
const workers = os.availableParallelism() + 1;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each file runs in its own worker: Pulumi mocks are process-global.
    pool: "forks",
    maxWorkers: workers,
    minWorkers: workers,
    globalSetup: ["test/setup/build.ts"],
    setupFiles: ["test/setup/worker.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
