/**
 * Solves stopped by the time limit: never mistaken for a placement when no incumbent exists, and
 * reported with an honest bound (distance to the LP relaxation) when one does.
 */
import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { loadSnapshot, loadSpecFile, optimizePlacement, InternalError } from "../core";
import { lpRelaxationBound, relaxationGap } from "../core/optimizer/solver";
import { CLOUDS } from "../clouds/registry";

describe("time limits", () => {
  it("fails clearly when the limit stops the search before any placement is found", async () => {
    const catalog = loadSnapshot();
    const spec = loadSpecFile(path.resolve(__dirname, "../examples/batch-spot/workload.yaml"), catalog, CLOUDS);
    // Unreduced, this model takes seconds before its first feasible placement.
    const stopped = optimizePlacement(spec, catalog, { reduce: false, timeLimitSeconds: 0.05 });
    await expect(stopped).rejects.toBeInstanceOf(InternalError);
    await expect(stopped).rejects.toThrow("the solver found no placement within 0.05 s");
  }, 30_000);

  it("bounds the gap of a stopped search by the LP relaxation", async () => {
    // min x + y, 2x + 2y >= 3, integers: the MIP optimum is 2, the relaxation's 1.5.
    const lp = "Minimize\n obj: x + y\nSubject To\n c: 2 x + 2 y >= 3\nGeneral\n x y\nEnd";
    const bound = await lpRelaxationBound(lp);
    expect(bound).toBe(1.5);
    expect(relaxationGap(2, bound)).toBe(0.25);
    expect(relaxationGap(1.5, bound)).toBe(0);
    expect(relaxationGap(2, undefined)).toBe(1);
  });
});
