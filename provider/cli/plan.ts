/** `multicloud plan SPEC`: read inputs, call the planner, render. */
import { resolveCatalog } from "../../core/catalog/resolve";
import { loadSpecFile } from "../../core/spec/load";
import { planLive } from "../../core/prices/plan-live";
import { renderPlan, type OutputFormat } from "../../core/plan/format";
import { writeFileAtomic } from "../../core/util/files";
import { UserError } from "../../core/util/errors";
import { pinPlacement, readStackConfig, writeStackConfig } from "../../core/placement/stack-config";
import type { Io } from "./io";
import type { CloudSet } from "../../core/clouds/cloud-set";

export interface PlanCommandOptions {
  catalog?: string;
  offline: boolean;
  /** Call the live price and metrics APIs (opt-in; cache or snapshot otherwise). */
  live?: boolean;
  format: OutputFormat;
  out?: string;
  stackConfig?: string;
  write?: boolean;
}

export async function planCommand(specFile: string, options: PlanCommandOptions, io: Io, clouds: CloudSet): Promise<number> {
  if (options.write && !options.stackConfig) throw new UserError("--write needs --stack-config Pulumi.<stack>.yaml: the file to pin the plan in");
  if (options.stackConfig && !options.write) throw new UserError("--stack-config is only used with --write (to pin the plan); add --write, or drop --stack-config");
  // Read the stack config first: a bad file fails before any planning work.
  const config = options.stackConfig ? readStackConfig(options.stackConfig, clouds) : undefined;
  const spec = loadSpecFile(specFile, resolveCatalog(clouds, { catalogFile: options.catalog }), clouds);
  const { plan, warnings } = await planLive(spec, { clouds, catalogFile: options.catalog, offline: options.offline, live: options.live });
  for (const w of warnings) io.stderr(`warning: ${w}\n`);
  const text = renderPlan(plan, options.format);
  if (options.out) {
    writeFileAtomic(options.out, text);
    io.stderr(`wrote the ${options.format} plan for ${plan.workload} to ${options.out}\n`);
  } else {
    io.stdout(text);
  }
  if (config) {
    const changed = pinPlacement(config, spec, plan);
    if (changed) writeStackConfig(config);
    io.stderr(changed ? `pinned the plan for ${plan.workload} in ${config.file}\n` : `${config.file} already pins this plan for ${plan.workload}; left unchanged\n`);
  }
  return 0;
}
