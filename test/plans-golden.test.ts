/**
 * The plans of the examples and the bench specs on the embedded snapshot, pinned byte for byte
 * (test/golden/plans/). Speed work (issue 13: the group model, the tie-break solve, snapshot
 * formats, price assembly) must not change a plan: a change here is a changed plan, to explain in
 * the commit, and `npx vitest run test/plans-golden.test.ts -u` rewrites the files once it is meant.
 * Only `solver.ms` is left out: it is the one field that varies between runs, and it is in no hash.
 */
import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { cli } from "./helpers/cli";

const SPECS = [
  "examples/web/workload.yaml",
  "examples/batch-spot/workload.yaml",
  "examples/cache/workload.yaml",
  "examples/gpu-inference/workload.yaml",
  "bench/all-regions.yaml",
  "bench/all-regions-traffic.yaml",
  "bench/quota-20.yaml",
];
const ROOT = path.resolve(__dirname, "..");

describe("plans on the embedded snapshot", () => {
  it.each(SPECS)("%s plans as pinned in test/golden/plans/", async (spec) => {
    const r = await cli("plan", path.join(ROOT, spec), "--offline", "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { solver: { ms?: number } };
    expect(plan.solver.ms).toEqual(expect.any(Number));
    delete plan.solver.ms;
    const golden = path.join(__dirname, "golden", "plans", `${spec.replace(/\//g, "-").replace(/\.yaml$/, "")}.json`);
    await expect(`${JSON.stringify(plan, null, 2)}\n`).toMatchFileSnapshot(golden);
  });
});
