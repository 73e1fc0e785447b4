/**
 * `multicloud audit --stack-config F`: the placement audit log beside F
 * (`Pulumi.<stack>.placements.log`, written by every `plan --write` and `drift --write`).
 * Lists it (optionally one workload's lines), `--verify` checks its hash chain (exit 0 intact,
 * 1 broken, naming the first line that no longer matches) and then that every placement pinned in
 * F is what the log's last line for that workload records (exit 1 otherwise), `--init` starts the
 * log for a stack config pinned before audit logging existed.
 */
import * as fs from "node:fs";
import { UserError, didYouMean } from "../../core/util/errors";
import { auditLogPath, type AuditEntry } from "../../core/audit/entry";
import { checkChain, splitLog } from "../../core/audit/chain";
import { brokenChainError, readAuditLogText } from "../../core/audit/log-file";
import { parseLines, renderAuditJson, renderAuditMarkdown, renderAuditTable, renderVerify, type PinsResult } from "../../core/audit/render";
import { checkPins } from "../../core/audit/pins-check";
import { initAuditLog } from "../../core/audit/pin";
import { readStackConfig } from "../../core/placement/stack-config";
import type { AuditFormat } from "../../core/util/cli-choices";
import type { CloudSet } from "../../core/clouds/cloud-set";
import type { Io } from "./io";

export interface AuditCommandOptions {
  stackConfig: string;
  workload?: string;
  verify?: boolean;
  init?: boolean;
  format: AuditFormat;
}

export async function auditCommand(options: AuditCommandOptions, io: Io, clouds: CloudSet): Promise<number> {
  const log = auditLogPath(options.stackConfig);
  if (options.init) {
    if (options.verify || options.workload !== undefined) throw new UserError("--init starts the log; it takes neither --verify nor --workload (run them after it)");
    const lines = initAuditLog(readStackConfig(options.stackConfig, clouds));
    io.stderr(`started the audit log ${log} with ${lines.length} line${lines.length === 1 ? "" : "s"} (one per pinned workload)\n`);
    return 0;
  }
  const text = readAuditLogText(log);
  if (text === undefined) {
    throw new UserError(
      `no audit log at ${log}: the first \`multicloud plan SPEC --stack-config ${options.stackConfig} --write\` (or \`drift --write\`) creates it; ` +
        `for placements pinned before audit logging, run \`multicloud audit --stack-config ${options.stackConfig} --init\``,
    );
  }
  const chain = checkChain(text);
  const { lines } = splitLog(text);
  if (options.verify) {
    const pins = chain.ok ? checkStackConfig(options.stackConfig, chain.entries, io, clouds) : undefined;
    io.stdout(renderVerify(log, lines.length, chain, options.format, pins));
    if (!chain.ok) {
      io.stderr(`error: ${brokenChainError(log, chain.line, chain.reason).message}\n`);
      return 1;
    }
    if (pins && pins.mismatches.length > 0) {
      io.stderr(`error: ${pins.file} does not match its audit log ${log}: ${pins.mismatches.map((m) => m.workload).join(", ")}; restore the config or the log from version control, or re-pin with \`--write\`\n`);
      return 1;
    }
    return 0;
  }
  const all = parseLines(lines);
  const rows = options.workload === undefined ? all : all.filter((r) => r.entry?.workload === options.workload);
  if (options.workload !== undefined && rows.length === 0) {
    const known = [...new Set(all.flatMap((r) => (r.entry ? [r.entry.workload] : [])))].sort();
    io.stderr(`warning: --workload ${options.workload}: no line of ${log} names it${didYouMean(options.workload, known)}${known.length ? `; it records ${known.join(", ")}` : ""}\n`);
  }
  const listing = { log, rows, total: lines.length, workload: options.workload, chain };
  io.stdout({ table: renderAuditTable, markdown: renderAuditMarkdown, json: renderAuditJson }[options.format](listing));
  if (!chain.ok) io.stderr(`warning: ${brokenChainError(log, chain.line, chain.reason).message}\n`);
  return 0;
}

/** The stack config's pins against the log; a config that is not there is said, and only the chain is checked. */
function checkStackConfig(file: string, entries: readonly AuditEntry[], io: Io, clouds: CloudSet): PinsResult | undefined {
  if (!fs.existsSync(file)) {
    io.stderr(`warning: ${file} not found: only the log's chain was verified, not the placements it pins\n`);
    return undefined;
  }
  const placements = readStackConfig(file, clouds).placements;
  return { file, checked: Object.keys(placements).length, mismatches: checkPins(file, placements, entries) };
}
