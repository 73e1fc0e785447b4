/** `multicloud plan SPEC`: read inputs, call the planner, render. */
import { resolveCatalog } from "../../core/catalog/resolve";
import { loadSpecFile } from "../../core/spec/load";
import { planSpec } from "../../core";
import { renderPlan, type OutputFormat } from "../../core/plan/format";
import { writeFileAtomic } from "../../core/util/files";
import type { Io } from "./main";

export interface PlanCommandOptions {
  catalog?: string;
  offline: boolean;
  format: OutputFormat;
  out?: string;
}

export async function planCommand(specFile: string, options: PlanCommandOptions, io: Io): Promise<number> {
  const catalog = resolveCatalog({ catalogFile: options.catalog, offline: options.offline });
  const spec = loadSpecFile(specFile, catalog);
  const plan = await planSpec(spec, catalog);
  const text = renderPlan(plan, options.format);
  if (options.out) {
    writeFileAtomic(options.out, text);
    io.stderr(`wrote the ${options.format} plan for ${plan.workload} to ${options.out}\n`);
  } else {
    io.stdout(text);
  }
  return 0;
}
