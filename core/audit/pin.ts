/**
 * The `--write` of `multicloud plan` and `multicloud drift`: pin plans in the stack config and log
 * one audit line per workload whose pin changed, together (./log-file.ts `commitAudited`). A
 * workload whose pin is unchanged writes neither a config change nor a line.
 */
import { pinPlacement, writeStackConfig, type StackConfig } from "../placement/stack-config";
import type { PinnedPlacement } from "../placement/record";
import { describeSpecChanges, specChanges } from "../placement/spec-changes";
import type { Plan } from "../plan/plan";
import type { WorkloadSpec } from "../spec/schema";
import { UserError } from "../util/errors";
import { resolveActor, type ActorProbes } from "./actor";
import { auditLogPath, buildEntry, type AuditCommand, type AuditEntry, type AuditEntryDraft } from "./entry";
import { appendLines, commitAudited, readAuditLogText } from "./log-file";
import { sealEntries } from "./chain";
import { withFileLock, type LockOptions } from "./lock";

export interface PinChange {
  spec: WorkloadSpec;
  plan: Plan;
  moveInProgress?: PinnedPlacement["moveInProgress"];
  reasons: readonly string[];
  /** The pin being replaced when it is not in the stack config (drift of a `--stack-export` workload). */
  before?: PinnedPlacement;
}

/** What a test (or a caller) can pin down: the clock, the environment, git and the OS user, the lock's patience. */
export interface AuditContext {
  now?: Date;
  env?: NodeJS.ProcessEnv;
  probes?: ActorProbes;
  lock?: LockOptions;
}

/** Pins every change and writes config and log together; returns the lines written (none when nothing changed). */
export function pinWithAudit(config: StackConfig, command: AuditCommand, changes: readonly PinChange[], context: AuditContext = {}): AuditEntry[] {
  const pinnedBefore = Object.keys(config.placements).sort();
  const now = context.now ?? new Date();
  const drafts: AuditEntryDraft[] = [];
  let actor: ReturnType<typeof resolveActor> | undefined;
  for (const change of changes) {
    const before = config.placements[change.spec.name] ?? change.before;
    if (!pinPlacement(config, change.spec, change.plan, change.moveInProgress)) continue;
    actor ??= resolveActor(context.env, context.probes);
    drafts.push(buildEntry({ command, actor, now, before, after: { specHash: change.plan.specHash, plan: change.plan }, reasons: change.reasons }));
  }
  return commitAudited({
    logFile: auditLogPath(config.file),
    stackConfigFile: config.file,
    stackConfigText: config.text,
    pinnedBefore,
    drafts,
    writeConfig: () => writeStackConfig(config),
    lock: context.lock,
  });
}

/**
 * `multicloud audit --init`: starts the log of a stack config whose placements were pinned before
 * audit logging, with one line per pinned workload (before = after: the log adopts them, it records
 * no change). These are the only lines without a config change; the stack config is not touched.
 */
export function initAuditLog(config: StackConfig, context: AuditContext = {}): AuditEntry[] {
  const logFile = auditLogPath(config.file);
  return withFileLock(`${logFile}.lock`, `the audit log ${logFile}`, () => {
    if (readAuditLogText(logFile) !== undefined) {
      throw new UserError(`--init: the audit log ${logFile} already exists: it is started once; \`multicloud audit --stack-config ${config.file} --verify\` checks it`);
    }
    const now = context.now ?? new Date();
    const actor = resolveActor(context.env, context.probes);
    const drafts = Object.keys(config.placements)
      .sort()
      .map((name) => {
        const pin = config.placements[name]!;
        return buildEntry({ command: "audit --init", actor, now, before: pin, after: pin, reasons: ["adopted: pinned before this audit log began"] });
      });
    const lines = sealEntries(drafts, undefined, 0);
    appendLines(logFile, lines); // with no pins: an empty log, the chain starts at the next write
    return lines.map((line) => JSON.parse(line) as AuditEntry);
  }, context.lock);
}

/** Why `plan --write` changed a pin, in the log's words: a first pin, a changed spec, or a re-plan of the same spec. */
export function pinReasons(before: PinnedPlacement | undefined, spec: WorkloadSpec): string[] {
  if (!before) return ["pinned by plan: first pin of this workload"];
  const changes = specChanges(before.spec, spec);
  if (changes.length > 0) return [`pinned by plan: spec changed: ${describeSpecChanges(changes)}`];
  return ["pinned by plan: same spec, new plan (prices, demand or the catalog changed)"];
}
