/**
 * Solves stopped by the time limit: never mistaken for a placement when no incumbent exists, and
 * reported with an honest bound (distance to the LP relaxation) when one does.
 */
import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { loadSnapshot, loadSpecFile, optimizePlacement, LimitReachedError, UserError } from "../core";
import { lpRelaxationBound, relaxationGap, timeLimitFromEnv } from "../core/optimizer/solver";
import { CLOUDS } from "../clouds/registry";

describe("time limits", () => {
  it("is a limit reached (a user error naming the limit and how to raise it), not a bug, when the search finds no placement in time", async () => {
    const catalog = loadSnapshot();
    const spec = loadSpecFile(path.resolve(__dirname, "../examples/batch-spot/workload.yaml"), catalog, CLOUDS);
    // A microsecond is up before HiGHS first reads its clock, on any machine: it stops with no
    // placement (so on every example, reduced or not). 0.05 s on this unreduced model relied on
    // the machine being too slow to find one in time.
    const stopped = optimizePlacement(spec, catalog, { reduce: false, timeLimitSeconds: 1e-6 });
    await expect(stopped).rejects.toBeInstanceOf(LimitReachedError);
    await expect(stopped).rejects.toBeInstanceOf(UserError);
    await expect(stopped).rejects.toThrow(/the solver found no placement within 0.000001 s \(its time limit\): raise it with MULTICLOUD_SOLVER_TIME_LIMIT=SECONDS/);
  }, 30_000);

  it("takes the limit from MULTICLOUD_SOLVER_TIME_LIMIT, refusing a value that is not a positive number", () => {
    expect(timeLimitFromEnv({})).toBe(60);
    expect(timeLimitFromEnv({ MULTICLOUD_SOLVER_TIME_LIMIT: "120" })).toBe(120);
    expect(() => timeLimitFromEnv({ MULTICLOUD_SOLVER_TIME_LIMIT: "0" })).toThrow('MULTICLOUD_SOLVER_TIME_LIMIT: expected a number of seconds > 0, got "0"');
    expect(() => timeLimitFromEnv({ MULTICLOUD_SOLVER_TIME_LIMIT: "1m" })).toThrow(UserError);
  });

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
