/**
 * The MIP solver: HiGHS (MIT), compiled to WebAssembly by the `highs` npm package. Chosen because
 * it is a state-of-the-art open-source MIP solver with proven optimality, needs no native build or
 * download (it installs with `npm ci` anywhere Node runs), and is deterministic for a given model.
 *
 * The WebAssembly module is loaded once per process (about 30 ms); each solve gets a fresh native
 * solver, so solves never share state.
 */
import highsLoader from "highs";
import { LimitReachedError, UserError } from "../util/errors";

type Highs = Awaited<ReturnType<typeof highsLoader>>;
let loading: Promise<Highs> | undefined;

function solverInstance(): Promise<Highs> {
  loading ??= highsLoader();
  return loading;
}

export type SolveStatus = "optimal" | "infeasible" | "time-limit";

export interface SolveResult {
  status: SolveStatus;
  objective: number;
  /** Column name -> value, rounded to integers (every column is integer). */
  values: Map<string, number>;
  /** Relative optimality gap: 0 when proven optimal. */
  gap: number;
}

/** Environment variable that sets the solver's time limit, in seconds. */
export const TIME_LIMIT_ENV = "MULTICLOUD_SOLVER_TIME_LIMIT";
export const DEFAULT_TIME_LIMIT_SECONDS = 60;

/** The time limit from the environment, else the default; a bad value is the user's error, named. */
export function timeLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[TIME_LIMIT_ENV];
  if (text === undefined || text === "") return DEFAULT_TIME_LIMIT_SECONDS;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0)) throw new UserError(`${TIME_LIMIT_ENV}: expected a number of seconds > 0, got "${text}"`);
  return seconds;
}

export interface SolveLimits {
  timeLimitSeconds: number;
}

/**
 * The spec and catalog bounds (core/spec/schema.ts, core/catalog/csv.ts) keep numbers where HiGHS
 * solves reliably, and a fuzz test over mutated specs and catalogs never got here
 * (test/robustness/fuzz.test.ts). Should a model still be refused, the user gets what to check,
 * not a stack trace: numbers at the edge of the bounds are the only known cause.
 */
function solverRejected(what: string): UserError {
  return new UserError(
    `the optimizer could not solve this placement: ${what}. Numbers at the edge of the documented bounds cause this: ` +
      "check demand.cpu, demand.memoryGiB and demand.replicas in the spec, and the prices, vcpu and memoryGiB of any --catalog file; " +
      "if they are ordinary, report it with the spec",
  );
}

/** Solves an LP-format MIP exactly: no relative gap allowed, absolute gap below a micro-dollar. */
export async function solveMip(lp: string, limits: SolveLimits = { timeLimitSeconds: 60 }): Promise<SolveResult> {
  const highs = await solverInstance();
  let solution: ReturnType<Highs["solve"]>;
  try {
    solution = highs.solve(lp, {
      mip_rel_gap: 0,
      // Absolute gap: 1e-6 $/hour is under a tenth of a cent a month; HiGHS proves optimality to it.
      mip_abs_gap: 1e-6,
      time_limit: limits.timeLimitSeconds,
      output_flag: false,
    } as Parameters<Highs["solve"]>[1]);
  } catch (err) {
    throw solverRejected(`HiGHS could not read the model (${(err as Error).message.split("\n")[0]})`);
  }
  const status = solution.Status;
  if (status === "Infeasible" || status === "Primal infeasible or unbounded") {
    return { status: "infeasible", objective: NaN, values: new Map(), gap: NaN };
  }
  // At the time limit HiGHS still returns column values; they are a placement only when an
  // incumbent was found, which a finite objective says.
  const hasSolution = status === "Optimal" || (status === "Time limit reached" && Number.isFinite(solution.ObjectiveValue));
  if (!hasSolution) {
    if (status === "Time limit reached") {
      throw new LimitReachedError(
        `the solver found no placement within ${limits.timeLimitSeconds} s (its time limit): raise it with ${TIME_LIMIT_ENV}=SECONDS, ` +
          "or make the search smaller (fewer regions, instance.families, a tighter instance.maxVcpu)",
      );
    }
    throw solverRejected(`HiGHS stopped with status "${status}"`);
  }
  const values = new Map<string, number>();
  for (const [name, column] of Object.entries(solution.Columns)) {
    values.set(name, Math.round((column as { Primal: number }).Primal));
  }
  const gap = status === "Optimal" ? 0 : relaxationGap(solution.ObjectiveValue, await lpRelaxationBound(lp));
  return { status: status === "Optimal" ? "optimal" : "time-limit", objective: solution.ObjectiveValue, values, gap };
}

/**
 * When the time limit stops the search, how far the best placement found can be from the optimum,
 * at most: its relative distance to the LP relaxation's optimum (a lower bound on every placement).
 * The one-shot API reports no MIP dual bound, and the relaxation solves in milliseconds.
 */
export function relaxationGap(incumbent: number, bound: number | undefined): number {
  if (bound === undefined || !(incumbent > 0)) return 1;
  return Math.max(0, Math.round(((incumbent - bound) / incumbent) * 1e6) / 1e6);
}

/** Optimum of the model with integrality dropped (the `General` and `Binary` sections), if any. */
export async function lpRelaxationBound(lp: string): Promise<number | undefined> {
  const highs = await solverInstance();
  const general = lp.indexOf("\nGeneral");
  const relaxed = general === -1 ? lp : `${lp.slice(0, general).trimEnd()}\nEnd`;
  const result = highs.solve(relaxed, { output_flag: false } as Parameters<Highs["solve"]>[1]);
  return result.Status === "Optimal" ? result.ObjectiveValue : undefined;
}
