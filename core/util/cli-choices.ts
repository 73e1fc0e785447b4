/**
 * The choices and defaults the CLI's help text shows, in a leaf module (it imports nothing), so that
 * `multicloud --help` can read the real values without loading the modules that use them.
 */

/** `multicloud plan --format`. */
export const FORMATS = ["table", "json", "markdown"] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** `multicloud drift --format`. */
export const DRIFT_FORMATS = ["table", "markdown", "json"] as const;

/** `multicloud failover --format`. */
export const FAILOVER_FORMATS = ["table", "markdown", "json"] as const;
export type FailoverFormat = (typeof FAILOVER_FORMATS)[number];

/** `multicloud audit --format`. */
export const AUDIT_FORMATS = ["table", "json", "markdown"] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export interface DriftSettings {
  /** Propose only when the saving reaches this percent of today's cost of the pinned plan. */
  minSavingsPct: number;
  /** At most this share of the workload's replicas moves in one proposal. */
  maxDisruption: number;
}

export const DEFAULT_DRIFT_SETTINGS: DriftSettings = { minSavingsPct: 5, maxDisruption: 0.5 };
