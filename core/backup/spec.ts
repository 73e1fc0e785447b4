/**
 * The backup spec (DESIGN.md "CrossCloudBackup"): the `CrossCloudBackup` args and, with a `name`,
 * the `multicloud backup plan` spec file. Validated with zod (unknown fields are errors
 * everywhere), then against rules the schema cannot express: regions that must exist, fields a
 * cloud needs, the destination on another cloud. Problems are collected, each with its field
 * path, and thrown as one UserError.
 *
 * `validateBackupSpec` returns the normalised spec (defaults applied), so two spellings of the
 * same intent hash the same.
 */
import { z } from "zod";
import { describeIssues, type IssuePath, type SpecProblem } from "../spec/issues";
import { specError, type Locator } from "../spec/load";
import { UserError, didYouMean } from "../util/errors";
import { BACKUP_CLOUD_NAMES, backupCloud } from "./clouds";
import type { StoragePrices } from "./prices";

const provider = z.enum(BACKUP_CLOUD_NAMES as [string, ...string[]]);
const region = z.string().min(1);
const label = /^[a-z][a-z0-9_-]{0,62}$/;

const sourceSchema = z.strictObject({
  provider,
  region,
  bucket: z.string().min(1).optional(),
  storageAccount: z.string().regex(/^[a-z0-9]{3,24}$/, "expected a storage account name: 3-24 lower-case letters and digits").optional(),
  container: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/, "expected a container name: 3-63 lower-case letters, digits and '-'").optional(),
  resourceGroupName: z.string().min(1).optional(),
  prefix: z.string().regex(/^(?:[^/].*\/)?$/, 'expected a folder path that ends with "/" and does not start with "/", e.g. "exports/"').optional(),
  sasExpiresOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD").optional(),
});

export const backupSpecSchema = z.strictObject({
  source: sourceSchema,
  sizeGiB: z.number().min(0),
  dailyChangeGiB: z.number().min(0),
  averageObjectMiB: z.number().positive().default(4),
  destination: z.strictObject({ provider, region }).optional(),
  candidates: z
    .strictObject({
      providers: z.array(provider).min(1).optional(),
      regions: z.array(z.string().regex(/^[a-z]+\/[a-z0-9-]+$/, "expected provider/region, e.g. gcp/us-central1")).min(1).optional(),
    })
    .optional(),
  rpoHours: z.number().int().min(1).max(168).default(24),
  retentionDays: z.number().int().min(1).max(36500).default(30),
  immutable: z.boolean().default(false),
  lockRetention: z.boolean().default(false),
  archiveAfterDays: z.number().int().min(1).max(36500).optional(),
  encryption: z.strictObject({ kmsKeyId: z.string().min(1).optional() }).optional(),
  notification: z.strictObject({ email: z.email("expected an e-mail address") }).optional(),
  dataSyncAgentArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:datasync:[a-z0-9-]+:\d{12}:agent\/agent-[0-9a-z]+$/, "expected a DataSync agent ARN (arn:aws:datasync:REGION:ACCOUNT:agent/agent-ID)")
    .optional(),
  tags: z
    .record(
      z.string().regex(label, "expected a tag key of lower-case letters, digits, '_' and '-', starting with a letter (GCP label rules, the strictest of the three clouds)"),
      z.string().regex(/^[a-z0-9_-]{0,63}$/, "expected a tag value of at most 63 lower-case letters, digits, '_' and '-'"),
    )
    .default({}),
});

/** The spec file of `multicloud backup plan`: the args plus the backup's name. */
export const backupFileSchema = backupSpecSchema.extend({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "expected a lower-case name of letters, digits and '-', starting with a letter, at most 40 characters (it names cloud resources)"),
});

export type BackupSpecInput = z.input<typeof backupSpecSchema>;
export type BackupSpec = z.output<typeof backupSpecSchema>;

export interface ValidateOptions {
  prices: StoragePrices;
  /** Today, for expiry dates (injected so tests are deterministic). */
  now: Date;
  locate?: Locator;
}

/** Validates raw args (or a parsed spec file, with `schema` = backupFileSchema); throws a UserError naming every problem. */
export function validateBackupSpec<S extends typeof backupSpecSchema | typeof backupFileSchema>(input: unknown, options: ValidateOptions, schema?: S): z.output<S> {
  const used = (schema ?? backupSpecSchema) as S;
  const parsed = used.safeParse(input);
  const problems: SpecProblem[] = parsed.success
    ? checkBackupSpec(parsed.data as BackupSpec, options)
    : describeIssues(used, input, parsed.error.issues);
  if (problems.length > 0 || !parsed.success) throw backupSpecError(problems, options.locate);
  return parsed.data as z.output<S>;
}

/** The workload spec's error, worded for a backup: every problem with its field path (and file:line). */
export function backupSpecError(problems: readonly SpecProblem[], locate?: Locator): UserError {
  return specError(problems, locate, "backup spec");
}

const pathOf = (field: string): IssuePath => field.split(".");

/** Reads a dotted field of the spec (`source.bucket`). */
export function fieldValue(spec: BackupSpec, field: string): unknown {
  let current: unknown = spec;
  for (const key of field.split(".")) current = (current as Record<string, unknown> | undefined)?.[key];
  return current;
}

/** A field counts as set when present and not false (`lockRetention: false` asks for nothing). */
export const isSet = (value: unknown): boolean => value !== undefined && value !== false;

/** Rules across fields and against the region tables and price snapshot. Returns problems; never throws. */
export function checkBackupSpec(spec: BackupSpec, { prices, now }: ValidateOptions): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const src = backupCloud(spec.source.provider);
  const others = BACKUP_CLOUD_NAMES.filter((n) => n !== src.name);

  for (const need of src.storage.sourceRequires) {
    if (fieldValue(spec, need.field) === undefined) problems.push({ path: pathOf(need.field), message: `is required when source.provider is ${src.name}: ${need.why}` });
  }
  const regionProblem = checkRegion(src.name, spec.source.region, ["source", "region"]);
  if (regionProblem) problems.push(regionProblem);
  else if (!prices.providers[src.name]?.egress[spec.source.region]) {
    problems.push({ path: ["source", "region"], message: `the storage price snapshot has no internet egress price for ${src.name}/${spec.source.region}, so a backup from it cannot be costed` });
  }
  if (spec.source.sasExpiresOn !== undefined) {
    const expiry = Date.parse(`${spec.source.sasExpiresOn}T00:00:00Z`);
    if (Number.isNaN(expiry)) problems.push({ path: ["source", "sasExpiresOn"], message: `not a calendar date: ${spec.source.sasExpiresOn}` });
    else if (expiry <= now.getTime()) problems.push({ path: ["source", "sasExpiresOn"], message: `${spec.source.sasExpiresOn} is not in the future: a SAS that has expired cannot read the source; move the date forward` });
  }

  const crossCloud = () => `must be on a different cloud from source.provider (${src.name}): a backup on the same cloud shares its failure domain; choose ${others.join(" or ")}`;
  if (spec.destination) {
    if (spec.candidates) problems.push({ path: ["candidates"], message: "cannot be combined with destination: pin a destination, or list candidates to choose from, not both" });
    if (spec.destination.provider === src.name) problems.push({ path: ["destination", "provider"], message: crossCloud() });
    else {
      const p = checkRegion(spec.destination.provider, spec.destination.region, ["destination", "region"]);
      if (p) problems.push(p);
      else if (!prices.providers[spec.destination.provider]?.storage[spec.destination.region]) {
        const priced = Object.keys(prices.providers[spec.destination.provider]?.storage ?? {});
        problems.push({
          path: ["destination", "region"],
          message: `the storage price snapshot has no storage price for ${spec.destination.provider}/${spec.destination.region}; priced regions: ${priced.join(", ")}`,
        });
      }
    }
  }
  spec.candidates?.providers?.forEach((p, i) => {
    if (p === src.name) problems.push({ path: ["candidates", "providers", i], message: crossCloud() });
  });
  spec.candidates?.regions?.forEach((key, i) => {
    const [p = "", r = ""] = key.split("/");
    const path = ["candidates", "regions", i];
    if (!BACKUP_CLOUD_NAMES.includes(p)) problems.push({ path, message: `unknown provider "${p}"${didYouMean(p, BACKUP_CLOUD_NAMES)}; expected one of ${BACKUP_CLOUD_NAMES.join(", ")}` });
    else if (p === src.name) problems.push({ path, message: crossCloud() });
    else {
      const problem = checkRegion(p, r, path);
      if (problem) problems.push(problem);
    }
  });

  if (spec.lockRetention && !spec.immutable) problems.push({ path: ["lockRetention"], message: "locks an immutability policy, so it needs immutable: true" });
  if (spec.encryption?.kmsKeyId !== undefined && !spec.destination) {
    problems.push({ path: ["encryption", "kmsKeyId"], message: "a key belongs to one cloud: pin destination (provider and region) to use a customer-managed key" });
  }
  if (spec.destination && spec.destination.provider !== src.name) {
    for (const [field, reason] of Object.entries(backupCloud(spec.destination.provider).storage.unsupported)) {
      if (isSet(fieldValue(spec, field))) problems.push({ path: pathOf(field), message: `is not supported with a ${spec.destination.provider} destination: ${reason}` });
    }
  }
  return problems;
}

function checkRegion(providerName: string, regionName: string, path: IssuePath): SpecProblem | undefined {
  const regions = Object.keys(backupCloud(providerName).regions);
  if (regions.includes(regionName)) return undefined;
  return { path, message: `unknown ${providerName} region "${regionName}"${didYouMean(regionName, regions)}` };
}
