/** `multicloud drift`: re-optimize every pinned workload with today's prices and propose changes. */
import { UserError } from "../../core/util/errors";
import { readStackConfig } from "../../core/placement/stack-config";
import { pinWithAudit } from "../../core/audit/pin";
import { readStackExport } from "../../core/placement/stack-export";
import type { DriftSettings } from "../../core/drift/drift";
import { driftAll } from "../../core/drift/drift-all";
import { proposedCount, renderDriftJson, renderDriftMarkdown, renderDriftTable } from "../../core/drift/render";
import type { Io } from "./io";
import { checkLiveOffline } from "./plan";
import type { CloudSet } from "../../core/clouds/cloud-set";

import { DRIFT_FORMATS } from "../../core/util/cli-choices";

export { DRIFT_FORMATS };

export interface DriftCommandOptions {
  stackConfig: string;
  catalog?: string;
  offline: boolean;
  /** Call the live price and metrics APIs (opt-in; cache or snapshot otherwise). */
  live?: boolean;
  /** Seconds for all live data of each workload's re-plan (--live-timeout); default 20. */
  liveTimeout?: number;
  minSavings: string;
  maxDisruption: string;
  stackExport?: string;
  format: (typeof DRIFT_FORMATS)[number];
  write?: boolean;
}

/** Exit codes as `terraform plan -detailed-exitcode`: 0 nothing to propose, 2 proposed, 1 error. */
export async function driftCommand(options: DriftCommandOptions, io: Io, clouds: CloudSet): Promise<number> {
  checkLiveOffline(options);
  const settings = parseSettings(options);
  const config = readStackConfig(options.stackConfig, clouds);
  const exported = options.stackExport ? readStackExport(options.stackExport, clouds) : {};
  const pinned = { ...exported, ...config.placements };
  const names = Object.keys(pinned).sort();
  if (names.length === 0) {
    throw new UserError(
      `${options.stackConfig} pins no placement under multicloud:placements${options.stackExport ? ` and ${options.stackExport} has no MultiCloudWorkload outputs` : ""}: ` +
        "pin one with `multicloud plan SPEC --stack-config FILE --write`",
    );
  }
  const report = await driftAll(pinned, settings, {
    clouds,
    origin: options.stackConfig,
    catalogFile: options.catalog,
    offline: options.offline,
    live: options.live,
    liveTimeoutSeconds: options.liveTimeout,
    onWarning: (name, w) => io.stderr(`warning: ${name}: ${w}\n`),
  });

  const applied = options.write && proposedCount(report) > 0 ? options.stackConfig : undefined;
  const render = { table: renderDriftTable, markdown: (r: typeof report) => renderDriftMarkdown(r, applied), json: renderDriftJson }[options.format];
  io.stdout(render(report));
  for (const f of report.failed ?? []) io.stderr(`error: ${f.error}\n`);
  const proposed = proposedCount(report);
  if (options.write && proposed > 0) {
    // The pins and their audit lines are written together, or neither (core/audit/log-file.ts).
    const changes = report.workloads.flatMap((w) => {
      const deferred = w.disruption.deferredOptimumMonthlyUsd;
      const moveInProgress = deferred === undefined ? undefined : { optimumMonthlyUsd: deferred };
      const reasons = w.reasons.map((r) => `${r.kind}: ${r.message}`);
      return w.proposed ? [{ spec: pinned[w.workload]!.spec, plan: w.proposed, moveInProgress, reasons, before: pinned[w.workload] }] : [];
    });
    pinWithAudit(config, "drift --write", changes);
    io.stderr(`wrote ${proposed} proposed placement${proposed === 1 ? "" : "s"} to ${options.stackConfig}\n`);
  }
  // A workload that could not be re-planned is an error, after the others were reported (and, with --write, pinned).
  if ((report.failed ?? []).length > 0) return 1;
  return proposed > 0 ? 2 : 0;
}

function parseSettings(options: DriftCommandOptions): DriftSettings {
  const minSavingsPct = Number(options.minSavings);
  if (!/^\d+(\.\d+)?$/.test(options.minSavings) || !Number.isFinite(minSavingsPct) || minSavingsPct > 100) {
    throw new UserError(`--min-savings: expected a percentage between 0 and 100, got "${options.minSavings}"`);
  }
  const maxDisruption = Number(options.maxDisruption);
  if (!/^\d*(\.\d+)?$/.test(options.maxDisruption) || !(maxDisruption > 0 && maxDisruption <= 1)) {
    throw new UserError(`--max-disruption: expected a fraction of replicas in (0, 1], got "${options.maxDisruption}"`);
  }
  return { minSavingsPct, maxDisruption };
}
