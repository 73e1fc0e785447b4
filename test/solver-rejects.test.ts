/**
 * A model HiGHS refuses comes back as a UserError that says what to check, never as an internal
 * error (issue "Bad input and slow clouds"): the spec and catalog bounds keep plans away from this
 * path, so the models here are built by hand to reach it.
 */
import { describe, expect, it } from "vitest";
import { solveMip } from "../core/optimizer/solver";
import { UserError } from "../core/util/errors";

describe("a model the solver refuses", () => {
  it("an unreadable model is a UserError naming what to check", async () => {
    const err = await solveMip("this is not an LP file\n").catch((e: unknown) => e);
    // HiGHS reads it as an empty model (status "Empty") or refuses to read it: a UserError either way.
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/the optimizer could not solve this placement: HiGHS (stopped with status "Empty"|could not read the model)/);
    expect((err as Error).message).toMatch(/demand\.cpu, demand\.memoryGiB/);
  });

  it("an unbounded model (no optimum) is a UserError with HiGHS's status, not an internal error", async () => {
    // A continuous model: HiGHS says "Unbounded" (the same model with x integer says "Primal
    // infeasible or unbounded", which the solver reports as infeasible).
    const lp = "Minimize\n obj: - x\nSubject To\n c1: x >= 0\nEnd\n";
    const err = await solveMip(lp).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/HiGHS stopped with status "Unbounded"/);
  });
});
