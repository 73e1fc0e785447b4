/**
 * `multicloud failover SPEC | --stack-config F`: the failover drill (core/failover/drill.ts) for a
 * spec planned now, or for every workload pinned in a stack config (their pinned plans, as
 * deployed). Exit codes: 0 every loss covered, 2 a loss is not, 1 error.
 */
import { resolveCatalog } from "../../core/catalog/resolve";
import { loadSpecFile } from "../../core/spec/load";
import { planLive } from "../../core/prices/plan-live";
import { readStackConfig } from "../../core/placement/stack-config";
import { UserError } from "../../core/util/errors";
import { failoverDrill, type FailoverReport } from "../../core/failover/drill";
import { renderFailoverJson, renderFailoverMarkdown, renderFailoverTable, type FailoverFormat } from "../../core/failover/render";
import type { CloudSet } from "../../core/clouds/cloud-set";
import type { Io } from "./io";
import { checkLiveOffline, planWarnings } from "./plan";

export interface FailoverCommandOptions {
  stackConfig?: string;
  catalog?: string;
  offline: boolean;
  live?: boolean;
  /** Seconds for all live data (--live-timeout); default 20. */
  liveTimeout?: number;
  format: FailoverFormat;
}

export async function failoverCommand(specFile: string | undefined, options: FailoverCommandOptions, io: Io, clouds: CloudSet): Promise<number> {
  checkLiveOffline(options);
  if ((specFile === undefined) === (options.stackConfig === undefined)) {
    throw new UserError("failover: give a spec file, or --stack-config Pulumi.<stack>.yaml for every pinned workload (one of the two)");
  }
  const reports: FailoverReport[] = [];
  if (specFile !== undefined) {
    const spec = loadSpecFile(specFile, resolveCatalog(clouds, { catalogFile: options.catalog }), clouds);
    const { plan, warnings } = await planLive(spec, { clouds, catalogFile: options.catalog, offline: options.offline, live: options.live, liveTimeoutSeconds: options.liveTimeout });
    for (const w of [...warnings, ...planWarnings(spec, plan)]) io.stderr(`warning: ${w}\n`);
    reports.push(failoverDrill(plan, spec, clouds));
  } else {
    const config = readStackConfig(options.stackConfig!, clouds);
    const names = Object.keys(config.placements).sort();
    if (names.length === 0) throw new UserError(`${options.stackConfig} pins no placement under multicloud:placements: pin one with \`multicloud plan SPEC --stack-config FILE --write\``);
    for (const name of names) reports.push(failoverDrill(config.placements[name]!.plan, config.placements[name]!.spec, clouds));
  }
  const render = { table: renderFailoverTable, markdown: renderFailoverMarkdown, json: renderFailoverJson }[options.format];
  io.stdout(render(reports));
  return reports.every((r) => r.passed) ? 0 : 2;
}
