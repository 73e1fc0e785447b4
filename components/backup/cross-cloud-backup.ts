/**
 * CrossCloudBackup (`multicloud:index:CrossCloudBackup`): keeps a scheduled, verified copy of an
 * S3 bucket, Blob container or GCS bucket on another cloud, in the destination that costs least.
 *
 * Validate -> plan -> emit. The constructor validates every arg and chooses the destination
 * (core/backup: pure, synchronous, offline prices) before it calls `super`, so bad input throws
 * from `new` with every problem named and nothing registered, not even the component. Children
 * are then registered in `initialize` (Pulumi's component hook), only through the two clouds'
 * emitters (./emitters.ts): this file never names a cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import { lifecycleStages, physicalNames, planBackupArgs, type BackupPlan, type BackupSpec } from "../../core/backup";
import { UserError } from "../../core/util/errors";
import type { SpecProblem } from "../../core/spec/issues";
import { specError } from "../../core/spec/load";
import type { BackupDestinationOutput, BackupPlanOutput, CostItemOutput, CrossCloudBackupArgs } from "./args";
import type { BackupContext, DestinationResult, SourceNames } from "../../kit/backup/emitter";
import { CLOUDS } from "../../clouds/registry";
import { backupTags } from "../../kit/backup/tags";
import { rotationPeriod } from "../../core/backup/rotation";
import { BACKUP_TAG_VALUE, COMPUTABLE_SOURCE_FIELDS } from "../../core/backup/spec";
import { FROM_OUTPUT } from "../../core/spec/traffic";
import { plainTags, type TagInputs } from "../../kit/workload/tags";

export const BACKUP_TOKEN = "multicloud:index:CrossCloudBackup";

interface Prepared {
  spec: BackupSpec;
  plan: BackupPlan;
  /** The user's tags as given: a value may be an Output (the spec holds FROM_OUTPUT for it). */
  tags: TagInputs;
  /** The source's names as given: an Output where another resource creates them (likewise). */
  source: SourceNames;
}

interface BackupData {
  plan: BackupPlan;
  result: DestinationResult;
  destination: pulumi.Output<BackupDestinationOutput>;
}

// Outside the class: the schema inferrer reads every class property as an output.
const prepared = new WeakMap<object, Prepared>();
const readiness = new WeakMap<CrossCloudBackup, Promise<void>>();

/** A scheduled, verified, protected copy of a bucket or container on the cheapest other cloud. */
export class CrossCloudBackup extends pulumi.ComponentResource<BackupData> {
  /** Chosen destination: provider, region, bucket or container (and account), URL. */
  public readonly destination: pulumi.Output<BackupDestinationOutput>;
  /** DataSync task ARN, Storage Transfer job name, or Data Factory pipeline id. */
  public readonly transferJobId: pulumi.Output<string>;
  /** Estimated monthly cost at the destination's list prices, USD. */
  public readonly monthlyCostUsd: pulumi.Output<number>;
  /** The estimate, line by line (storage per class, egress, requests, transfer fees). */
  public readonly costBreakdown: pulumi.Output<CostItemOutput[]>;
  /** The whole decision: destination, breakdown, runners-up, exclusions, price dates. */
  public readonly plan: pulumi.Output<BackupPlanOutput>;
  /** Steps left to a person after `pulumi up` (empty when none). */
  public readonly followUp: pulumi.Output<string[]>;

  constructor(name: string, args: CrossCloudBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BACKUP_TOKEN, name, prepare(name, args), opts);
    const data = pulumi.output(this.getData());
    readiness.set(this, this.getData().then(() => undefined));
    this.destination = data.apply((d) => d.destination);
    this.transferJobId = data.apply((d) => d.result.transferJobId);
    this.monthlyCostUsd = data.apply((d) => d.plan.destination.monthlyUsd);
    this.costBreakdown = data.apply((d) => d.plan.breakdown);
    this.plan = data.apply((d): BackupPlanOutput => d.plan);
    this.followUp = data.apply((d) => d.result.followUp);
  }

  /** Resolves once every child resource has been created (rejects if emitting failed). */
  ready(): Promise<void> {
    return readiness.get(this)!;
  }

  protected override async initialize(args: pulumi.Inputs, _opts?: pulumi.ComponentResourceOptions, name?: string): Promise<BackupData> {
    const { spec, plan, tags, source: sourceNames } = prepared.get(args)!;
    const names = physicalNames(pulumi.getProject(), pulumi.getStack(), name!);
    const ctx: BackupContext = {
      name: name!,
      parent: this,
      spec,
      plan,
      source: sourceNames,
      names,
      tags: backupTags(tags, names.slug),
      schedule: plan.schedule,
      stages: lifecycleStages(spec.archiveAfterDays),
      // The deployment's clock picks the rotation period: credentials change once per period.
      rotation: rotationPeriod(new Date()),
    };
    if (!spec.notification) {
      // The alert resources exist either way, but without an address nobody hears them.
      void pulumi.log.warn(
        `no notification.email: failed ${plan.destination.transferService} runs raise an alert that reaches nobody; set notification: { email: "..." } to be told when the backup stops copying`,
        this,
      );
    }
    const [destination, source] = await Promise.all([CLOUDS.get(plan.destination.provider).loadBackupEmitter(), CLOUDS.get(plan.source.provider).loadBackupEmitter()]);
    const request = destination.accessRequest(ctx, plan.source.provider);
    const access = source.grantRead(ctx, request);
    const result = destination.emitDestination(ctx, access);
    void pulumi.log.info(
      `${plan.source.provider}/${plan.source.region} -> ${plan.destination.provider}/${plan.destination.region}${plan.destination.pinned ? " (pinned)" : ""}: about $${plan.destination.monthlyUsd}/month`,
      this,
    );
    const destinationOutput = pulumi.output({ provider: plan.destination.provider, region: plan.destination.region, bucket: result.bucket, account: result.account, url: result.url }) as pulumi.Output<BackupDestinationOutput>;
    this.registerOutputs({
      destination: destinationOutput,
      transferJobId: result.transferJobId,
      monthlyCostUsd: plan.destination.monthlyUsd,
      costBreakdown: plan.breakdown,
      plan,
      followUp: result.followUp,
    });
    return { plan, result, destination: destinationOutput };
  }
}

/**
 * Validates the args and plans the backup, synchronously. Returns the normalised spec (the
 * component's recorded inputs) and remembers the plan for `initialize`, which receives that very
 * object. Throws a ResourceError without a stack trace naming every problem.
 */
function prepare(name: string, args: CrossCloudBackupArgs): pulumi.Inputs {
  try {
    // Tag values and the source's names may be Outputs; every other arg (and the tag keys, and
    // which names are given) decides the destination and the resources.
    const { tags: given, source: givenSource, ...rest } = args;
    const { names: sourceNames, plain: plainSource } = splitSource(givenSource);
    const unknowns = [
      ...nonPlainValues(rest, []),
      ...nonPlainValues(plainSource, ["source"]),
      ...(given !== undefined && !isPlainMap(given) ? nonPlainValues(given, ["tags"]) : []),
      ...tagValueProblems(given),
    ];
    if (unknowns.length > 0) throw specError(unknowns, undefined, "backup args");
    // The core sees plain data: an Output stands as FROM_OUTPUT (its presence is what it checks).
    const tagsForCore = given !== undefined ? { tags: isPlainMap(given) ? plainTags(given) : given } : {};
    const { spec, plan } = planBackupArgs(name, { ...rest, source: plainSource, ...tagsForCore }, CLOUDS);
    const computed = isPlainMap(given) ? given : {};
    const tags: TagInputs = Object.fromEntries(Object.entries(spec.tags).map(([k, v]) => [k, computed[k] !== undefined && typeof computed[k] !== "string" ? checkedTagValue(k, computed[k]) : v]));
    const inputs = { ...spec } as pulumi.Inputs;
    prepared.set(inputs, { spec, plan, tags, source: sourceNames });
    return inputs;
  } catch (err) {
    if (err instanceof UserError) throw new pulumi.ResourceError(`CrossCloudBackup "${name}": ${err.message}`, undefined, true);
    throw err;
  }
}

function isPlainMap(value: unknown): value is Record<string, pulumi.Input<string>> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/**
 * The source section for the core, with each name given as an Output (or a Promise) replaced by
 * FROM_OUTPUT, and the names as given, for the emitters.
 */
function splitSource(source: unknown): { names: SourceNames; plain: unknown } {
  if (typeof source !== "object" || source === null || pulumi.Output.isInstance(source)) return { names: {}, plain: source };
  const plain: Record<string, unknown> = { ...(source as Record<string, unknown>) };
  const names: Record<string, pulumi.Input<string>> = {};
  for (const field of COMPUTABLE_SOURCE_FIELDS) {
    const value = plain[field];
    if (value === undefined) continue;
    names[field] = value as pulumi.Input<string>;
    if (pulumi.Output.isInstance(value) || value instanceof Promise) plain[field] = FROM_OUTPUT;
  }
  return { names, plain };
}

/** A tag value that is an object must be an Output (or a Promise) of a string, never a map or a list. */
function tagValueProblems(tags: unknown): SpecProblem[] {
  if (!isPlainMap(tags)) return [];
  return Object.entries(tags)
    .filter(([, v]) => typeof v === "object" && v !== null && !pulumi.Output.isInstance(v) && !(v instanceof Promise))
    .map(([k]) => ({ path: ["tags", k], message: "expected a string (or an Output of one)" }));
}

/**
 * A tag value given as an Output, checked against the backup's tag value rule once known (GCP
 * label values: the same tags go to every cloud). A plain FROM_OUTPUT string is the user's own.
 */
function checkedTagValue(key: string, value: pulumi.Input<string>): pulumi.Input<string> {
  if (typeof value === "string") return value;
  return pulumi.output(value).apply((text) => {
    if (!BACKUP_TAG_VALUE.test(text)) {
      throw new Error(`tags.${key}: the output's value is not a valid tag value: expected at most 63 lower-case letters, digits, '_' and '-' (GCP label rules, the strictest of the three clouds)`);
    }
    return text;
  });
}

/** Outputs and promises where plain values are needed: the destination is chosen from them. */
function nonPlainValues(value: unknown, path: PropertyKey[]): SpecProblem[] {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) {
    return [{ path, message: "must be a plain value known at preview (the destination and the resources are decided from it), not an Output or a Promise" }];
  }
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => nonPlainValues(v, [...path, Array.isArray(value) ? Number(k) : k]));
}
