/**
 * Typed errors. The library throws; only the CLI's top level prints and chooses an exit code.
 *
 * - UserError: bad input the user can fix. The message names the field (or file and line), the
 *   rule, and how to fix it. Printed without a stack trace.
 * - InfeasibleError: a valid spec that no placement satisfies; names the conflicting constraints.
 * - LimitReachedError: a valid spec whose search hit a configured limit before finding any
 *   placement; names the limit and how to raise it.
 * - InternalError: a bug in this package. Printed with a "please report" hint.
 */

export class UserError extends Error {
  override readonly name: string = "UserError";
  /** One message per problem, when several were collected (validation). */
  readonly problems: readonly string[];
  constructor(message: string, problems?: readonly string[]) {
    super(message);
    this.problems = problems ?? [message];
  }
}

export class InfeasibleError extends UserError {
  override readonly name = "InfeasibleError";
  /** Constraint names (spec paths) that, relaxed, make the spec feasible. */
  readonly conflicting: readonly string[];
  constructor(message: string, conflicting: readonly string[]) {
    super(message);
    this.conflicting = conflicting;
  }
}

export class LimitReachedError extends UserError {
  override readonly name = "LimitReachedError";
}

export class InternalError extends Error {
  override readonly name = "InternalError";
}

/** Builds ` (did you mean "x"?)` for the closest known name, or "" when nothing is close. */
export function didYouMean(input: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const threshold = Math.max(2, Math.floor(input.length / 3));
  return best !== undefined && bestDistance <= threshold ? ` (did you mean "${best}"?)` : "";
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
