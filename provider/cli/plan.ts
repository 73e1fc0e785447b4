/**
 * `multicloud plan SPEC`: read inputs, call the planner, render. With `--stack-config F` it is the
 * pull-request view: the new plan against the one pinned in F (exit 0 the same, 2 different or not
 * pinned yet); with `--write` as well, it pins the new plan.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveCatalog } from "../../core/catalog/resolve";
import { loadSpecFile, loadSpecText } from "../../core/spec/load";
import { planLive } from "../../core/prices/plan-live";
import { renderPlan, type OutputFormat } from "../../core/plan/format";
import { writeFileAtomic } from "../../core/util/files";
import { UserError } from "../../core/util/errors";
import { readStackConfig } from "../../core/placement/stack-config";
import { pinReasons, pinWithAudit } from "../../core/audit/pin";
import { readProcessStdin, type Io } from "./io";
import { reviewPlan } from "../../core/review/review";
import { renderReviewJson, renderReviewMarkdown, renderReviewTable } from "../../core/review/render";
import type { CloudSet } from "../../core/clouds/cloud-set";
import type { WorkloadSpec } from "../../core/spec/schema";
import { PRICES_STALE_AFTER_DAYS, type Plan } from "../../core/plan/plan";
import { ageInMonths } from "../../core/plan/format";

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
  checkLiveOffline(options);
  if (options.write && !options.stackConfig) throw new UserError("--write needs --stack-config Pulumi.<stack>.yaml: the file to pin the plan in");
  if (options.out !== undefined) checkOutDir(options.out);
  // Read the stack config first: a bad file fails before any planning work.
  const config = options.stackConfig ? readStackConfig(options.stackConfig, clouds) : undefined;
  const spec = await loadSpecArgument(specFile, options, io, clouds);
  const { plan, warnings } = await planLive(spec, { clouds, catalogFile: options.catalog, offline: options.offline, live: options.live, liveTimeoutSeconds: options.liveTimeout });
  for (const w of [...warnings, ...planWarnings(spec, plan)]) io.stderr(`warning: ${w}\n`);
  if (config && !options.write) {
    const review = reviewPlan(spec, plan, config.placements[spec.name]);
    const text = { table: () => renderReviewTable(review, config.file), markdown: () => renderReviewMarkdown(review, config.file), json: () => renderReviewJson(review) }[options.format]();
    emit(text, options, io, `the ${options.format} review of ${plan.workload}`);
    return review.status === "unchanged" ? 0 : 2;
  }
  const text = renderPlan(plan, options.format);
  emit(text, options, io, `the ${options.format} plan for ${plan.workload}`);
  if (config) {
    // The pin and its audit line are written together, or neither (core/audit/log-file.ts).
    const before = config.placements[spec.name];
    const changed = pinWithAudit(config, "plan --write", [{ spec, plan, reasons: pinReasons(before, spec) }]).length > 0;
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

/** `--live` asks for the network, `--offline` (or MULTICLOUD_OFFLINE=1) forbids it: never both. */
export function checkLiveOffline(options: { live?: boolean; offline?: boolean }): void {
  if (options.live && options.offline) {
    const offline = process.env.MULTICLOUD_OFFLINE === "1" ? "--offline (here MULTICLOUD_OFFLINE=1)" : "--offline";
    const live = process.env.MULTICLOUD_LIVE === "1" ? "--live (here MULTICLOUD_LIVE=1)" : "--live";
    throw new UserError(`--live and --offline exclude each other: ${live} calls the live price APIs, ${offline} forbids the network; drop one`);
  }
}

/** `--out` into a folder that does not exist fails before any planning, naming the folder. */
export function checkOutDir(out: string): void {
  const dir = path.dirname(path.resolve(out));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UserError(`--out ${out}: the folder ${dir} does not exist (create it first)`);
}

/** The spec file, or with "-" the spec piped into standard input (messages name it "<stdin>"). */
async function loadSpecArgument(specFile: string, options: PlanCommandOptions, io: Io, clouds: CloudSet): Promise<WorkloadSpec> {
  const catalog = resolveCatalog(clouds, { catalogFile: options.catalog });
  if (specFile !== "-") return loadSpecFile(specFile, catalog, clouds);
  const text = await (io.stdin ?? readProcessStdin)();
  return loadSpecText(text, catalog, clouds);
}

/**
 * What a reviewer should know about a plan that the plan itself only implies: prices older than
 * PRICES_STALE_AFTER_DAYS, and GPUs asked for without saying which model (the plan picked one).
 */
export function planWarnings(spec: WorkloadSpec, plan: Plan, now: Date = new Date()): string[] {
  const warnings: string[] = [];
  for (const [provider, p] of Object.entries(plan.prices)) {
    if (!p.stale) continue;
    const months = ageInMonths(p.asOf, now);
    const refresh = p.source === "file" ? "update the --catalog file" : "plan with --live, or run `multicloud prices refresh`";
    warnings.push(`${provider}: ${p.source} prices as of ${p.asOf} are ${months} month${months === 1 ? "" : "s"} old (stale after ${PRICES_STALE_AFTER_DAYS} days): ${refresh}`);
  }
  if (spec.demand.gpus > 0 && spec.instance.gpuType === null) {
    const models = [...new Set(plan.allocations.filter((a) => a.gpus > 0).map((a) => a.gpuType ?? "unnamed"))].sort();
    if (models.length > 0) warnings.push(`demand.gpus is set without instance.gpuType: the plan uses ${models.join(", ")}; set instance.gpuType to choose`);
  }
  return warnings;
}
