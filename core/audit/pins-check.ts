/**
 * The log against the stack config it describes: every placement pinned in the config must be
 * the `after` of the last log line for its workload. The chain proves the lines were not changed
 * among themselves; this check ties its end to the config, so a pin changed by hand (without
 * `--write`), or the log's last lines for a workload removed or edited, shows too.
 *
 * Only pinned workloads are checked: a workload whose entry was removed from the config (there is
 * no unpin command; a decommission is a reviewed config edit) keeps its history in the log.
 */
import type { PinnedPlacement } from "../placement/record";
import { auditPin, type AuditEntry } from "./entry";

export interface PinMismatch {
  workload: string;
  /** The log line that should record the pin (its last line for the workload), if any. */
  line?: number;
  message: string;
}

export function checkPins(file: string, pins: Readonly<Record<string, Pick<PinnedPlacement, "specHash" | "plan">>>, entries: readonly AuditEntry[]): PinMismatch[] {
  const last = new Map<string, AuditEntry>();
  for (const e of entries) last.set(e.workload, e);
  const out: PinMismatch[] = [];
  for (const workload of Object.keys(pins).sort()) {
    const pin = auditPin(pins[workload]!);
    const entry = last.get(workload);
    if (!entry) {
      out.push({ workload, message: `${file} pins ${workload}, but no line of the log records it: it was pinned without \`--write\`, or its lines were removed` });
      continue;
    }
    const a = entry.after;
    if (a.specHash !== pin.specHash || a.planHash !== pin.planHash || a.monthlyUsd !== pin.monthlyUsd) {
      out.push({
        workload,
        line: entry.seq,
        message:
          `${file} pins ${workload} at plan ${pin.planHash} ($${pin.monthlyUsd}/month), but the log's last line for it (line ${entry.seq}) records plan ${a.planHash} ($${a.monthlyUsd}/month): ` +
          "the pin was changed without `--write`, or the log's last lines for it were removed",
      });
    }
  }
  return out;
}
