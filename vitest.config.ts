import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each file runs in its own worker: Pulumi mocks are process-global.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
