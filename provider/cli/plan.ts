/**
 * `multicloud plan SPEC`: read inputs, call the planner, render. With `--stack-config F` it is the
 * pull-request view: the new plan against the one pinned in F (exit 0 the same, 2 different or not
 * pinned yet); with `--write` as well, it pins the new plan.
 */
import { resolveCatalog } from "../../core/catalog/resolve";
import { loadSpecFile } from "../../core/spec/load";
import { planLive } from "../../core/prices/plan-live";
import { renderPlan, type OutputFormat } from "../../core/plan/format";
import { writeFileAtomic } from "../../core/util/files";
import { UserError } from "../../core/util/errors";
import { pinPlacement, readStackConfig, writeStackConfig } from "../../core/placement/stack-config";
import type { Io } from "./io";
import { reviewPlan } from "../../core/review/review";
import { renderReviewJson, renderReviewMarkdown, renderReviewTable } from "../../core/review/render";
import type { CloudSet } from "../../core/clouds/cloud-set";

export interface PlanCommandOptions {
  catalog?: string;
  offline: boolean;
  /** Call the live price and metrics APIs (opt-in; cache or snapshot otherwise). */
  live?: boolean;
  /** Seconds for all live data (--live-timeout); default 20. */
  liveTimeout?: number;
  format: OutputFormat;
  out?: string;
  stackConfig?: string;
  write?: boolean;
}

export async function planCommand(specFile: string, options: PlanCommandOptions, io: Io, clouds: CloudSet): Promise<number> {
  if (options.write && !options.stackConfig) throw new UserError("--write needs --stack-config Pulumi.<stack>.yaml: the file to pin the plan in");
  // Read the stack config first: a bad file fails before any planning work.
  const config = options.stackConfig ? readStackConfig(options.stackConfig, clouds) : undefined;
  const spec = loadSpecFile(specFile, resolveCatalog(clouds, { catalogFile: options.catalog }), clouds);
  const { plan, warnings } = await planLive(spec, { clouds, catalogFile: options.catalog, offline: options.offline, live: options.live, liveTimeoutSeconds: options.liveTimeout });
  for (const w of warnings) io.stderr(`warning: ${w}\n`);
  if (config && !options.write) {
    const review = reviewPlan(spec, plan, config.placements[spec.name]);
    const text = { table: () => renderReviewTable(review, config.file), markdown: () => renderReviewMarkdown(review, config.file), json: () => renderReviewJson(review) }[options.format]();
    emit(text, options, io, `the ${options.format} review of ${plan.workload}`);
    return review.status === "unchanged" ? 0 : 2;
  }
  const text = renderPlan(plan, options.format);
  emit(text, options, io, `the ${options.format} plan for ${plan.workload}`);
  if (config) {
    const changed = pinPlacement(config, spec, plan);
    if (changed) writeStackConfig(config);
    io.stderr(changed ? `pinned the plan for ${plan.workload} in ${config.file}\n` : `${config.file} already pins this plan for ${plan.workload}; left unchanged\n`);
  }
  return 0;
}

/** To `--out` (atomically, saying so on stderr) or to stdout. */
function emit(text: string, options: PlanCommandOptions, io: Io, what: string): void {
  if (options.out) {
    writeFileAtomic(options.out, text);
    io.stderr(`wrote ${what} to ${options.out}\n`);
  } else {
    io.stdout(text);
  }
}
