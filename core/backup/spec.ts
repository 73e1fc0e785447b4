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
import { perCloudSet, type CloudSet } from "../clouds/cloud-set";
import { RESIDENCY_GEOGRAPHIES, describeResidency, residencyFilter } from "../spec/residency";
import { requiredTagProblems } from "../spec/required-tags";
import type { StoragePrices } from "./prices";
import { FROM_OUTPUT } from "../spec/traffic";

const region = z.string().min(1);
const label = /^[a-z][a-z0-9_-]{0,62}$/;
/** A backup tag's value: GCP label value rules, the strictest of the three clouds. */
export const BACKUP_TAG_VALUE = /^[a-z0-9_-]{0,63}$/;

/**
 * `source`: provider, region and prefix are every cloud's; the other fields are the union of the
 * clouds' own pieces (`backupSourceFields`: `bucket`, or `storageAccount` and `container` ...). A
 * field of another cloud's piece is refused by checkBackupSpec, naming the provider.
 */
function sourceSchema(clouds: CloudSet, provider: z.ZodType<string>) {
  const fields: z.ZodRawShape = {};
  for (const c of clouds.adapters) Object.assign(fields, c.backupSourceFields);
  return z.strictObject({
    provider,
    region,
    ...fields,
    prefix: z.string().regex(/^(?:[^/].*\/)?$/, 'expected a folder path that ends with "/" and does not start with "/", e.g. "exports/"').optional(),
  });
}

function buildBackupSpecSchema(clouds: CloudSet) {
  const provider = z.enum(clouds.names as [string, ...string[]]);
  return z.strictObject({
    source: sourceSchema(clouds, provider),
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
    /** Geographies the destination may be in, and keys `tags` must carry (DESIGN.md "Compliance and audit"). */
    compliance: z
      .strictObject({
        residency: z.array(z.enum(RESIDENCY_GEOGRAPHIES)).min(1).optional(),
        requiredTags: z.array(z.string().regex(label, "expected a tag key of lower-case letters, digits, '_' and '-', starting with a letter (backup tags follow GCP label rules, so a required key must too)")).min(1).optional(),
      })
      .optional(),
    tags: z
      .record(
        z.string().regex(label, "expected a tag key of lower-case letters, digits, '_' and '-', starting with a letter (GCP label rules, the strictest of the three clouds)"),
        // FROM_OUTPUT: a value another resource computes (the component checks it once known).
        z.string().refine((v) => v === FROM_OUTPUT || BACKUP_TAG_VALUE.test(v), "expected a tag value of at most 63 lower-case letters, digits, '_' and '-'"),
      )
      .default({}),
  });
}

/** The `CrossCloudBackup` args for a set of clouds. Built once per set. */
export const backupSpecSchema = perCloudSet(buildBackupSpecSchema);

/** The spec file of `multicloud backup plan`: the args plus the backup's name. Built once per set. */
export const backupFileSchema = perCloudSet((clouds) =>
  backupSpecSchema(clouds).extend({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "expected a lower-case name of letters, digits and '-', starting with a letter, at most 40 characters (it names cloud resources)"),
  }),
);

type SpecSchema = ReturnType<typeof buildBackupSpecSchema>;

/** A backup source: provider, region and prefix, plus the fields of its provider's piece. */
export interface BackupSource {
  provider: string;
  region: string;
  prefix?: string;
  bucket?: string;
  storageAccount?: string;
  container?: string;
  resourceGroupName?: string;
  sasExpiresOn?: string;
}

export type BackupSpecInput = Omit<z.input<SpecSchema>, "source"> & { source: BackupSource };
export type BackupSpec = Omit<z.output<SpecSchema>, "source"> & { source: BackupSource };

export interface ValidateOptions {
  clouds: CloudSet;
  prices: StoragePrices;
  /** Today, for expiry dates (injected so tests are deterministic). */
  now: Date;
  locate?: Locator;
}

/** Validates raw args; throws a UserError naming every problem. */
export function validateBackupSpec(input: unknown, options: ValidateOptions): BackupSpec {
  return validateWith(backupSpecSchema(options.clouds), input, options) as BackupSpec;
}

/** Validates a parsed spec file (the args plus `name`); throws a UserError naming every problem. */
export function validateBackupFile(input: unknown, options: ValidateOptions): BackupSpec & { name: string } {
  return validateWith(backupFileSchema(options.clouds), input, options) as BackupSpec & { name: string };
}

function validateWith(schema: z.ZodType, input: unknown, options: ValidateOptions): unknown {
  const { checked, computed } = setAsideComputedNames(input);
  const parsed = schema.safeParse(checked);
  // The names another resource computes are present (what the rules below check), not checked.
  if (parsed.success && Object.keys(computed).length > 0) {
    const data = parsed.data as { source: BackupSource };
    data.source = { ...data.source, ...computed };
  }
  const problems: SpecProblem[] = parsed.success ? checkBackupSpec(parsed.data as BackupSpec, options) : describeIssues(schema, checked, parsed.error.issues);
  if (problems.length > 0 || !parsed.success) throw backupSpecError(problems, options.locate);
  return parsed.data;
}

/**
 * Source names the component may take as Outputs (a bucket or storage account another resource
 * creates): the component passes FROM_OUTPUT for them, and the resources get the Outputs. What the
 * plan is decided from (provider, region, which names are given) stays plain.
 */
export const COMPUTABLE_SOURCE_FIELDS = ["bucket", "storageAccount", "container", "resourceGroupName"] as const;

/** The input without its FROM_OUTPUT source names (their syntax is not the core's to check), and those names. */
function setAsideComputedNames(input: unknown): { checked: unknown; computed: Record<string, string> } {
  const source = (input as { source?: unknown } | null)?.source;
  if (typeof source !== "object" || source === null) return { checked: input, computed: {} };
  const computed: Record<string, string> = {};
  const rest: Record<string, unknown> = { ...(source as Record<string, unknown>) };
  for (const field of COMPUTABLE_SOURCE_FIELDS) {
    if (rest[field] === FROM_OUTPUT) {
      computed[field] = FROM_OUTPUT;
      delete rest[field];
    }
  }
  return Object.keys(computed).length === 0 ? { checked: input, computed } : { checked: { ...(input as object), source: rest }, computed };
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
export function checkBackupSpec(spec: BackupSpec, { clouds, prices, now }: ValidateOptions): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const src = clouds.get(spec.source.provider);
  const others = clouds.names.filter((n) => n !== src.name);

  const own = new Set(["provider", "region", "prefix", ...Object.keys(src.backupSourceFields)]);
  for (const field of Object.keys(spec.source).sort()) {
    if (!own.has(field)) problems.push({ path: ["source", field], message: `is not a field of a ${src.name} source (${[...own].join(", ")})` });
  }

  for (const need of src.storage.sourceRequires) {
    if (fieldValue(spec, need.field) === undefined) problems.push({ path: pathOf(need.field), message: `is required when source.provider is ${src.name}: ${need.why}` });
  }
  const checkRegion = (providerName: string, regionName: string, path: IssuePath): SpecProblem | undefined => {
    const regions = Object.keys(clouds.get(providerName).regions);
    if (regions.includes(regionName)) return undefined;
    return { path, message: `unknown ${providerName} region "${regionName}"${didYouMean(regionName, regions)}` };
  };
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
    if (!clouds.has(p)) problems.push({ path, message: `unknown provider "${p}"${didYouMean(p, clouds.names)}; expected one of ${clouds.names.join(", ")}` });
    else if (p === src.name) problems.push({ path, message: crossCloud() });
    else {
      const problem = checkRegion(p, r, path);
      if (problem) problems.push(problem);
    }
  });

  // A destination named explicitly must be one the residency rules allow: never silently dropped.
  const allowed = residencyFilter(spec.compliance?.residency, clouds);
  if (allowed) {
    const rules = spec.compliance!.residency!.join(", ");
    const outside = (provider: string, region: string, path: IssuePath) => {
      if (clouds.has(provider) && !allowed(provider, region)) {
        problems.push({ path, message: `${provider}/${region} is ${describeResidency(clouds, provider, region)}, outside compliance.residency (${rules}): choose a destination inside it` });
      }
    };
    if (spec.destination) outside(spec.destination.provider, spec.destination.region, ["destination", "region"]);
    spec.candidates?.regions?.forEach((key, i) => {
      const [p = "", r = ""] = key.split("/");
      outside(p, r, ["candidates", "regions", i]);
    });
  }

  const tagged = [src.name, ...(spec.destination ? [spec.destination.provider] : [])];
  problems.push(...requiredTagProblems({ requiredTags: spec.compliance?.requiredTags, tags: spec.tags, providers: tagged }, clouds));

  // An agent only serves DataSync reading Azure Blob into S3 (Basic mode); elsewhere it would be silently ignored.
  if (spec.dataSyncAgentArn !== undefined && (src.name !== "azure" || (spec.destination !== undefined && spec.destination.provider !== "aws"))) {
    problems.push({
      path: ["dataSyncAgentArn"],
      message: `is only used by a backup from an azure source into aws (DataSync through an agent); this backup is from ${src.name}${spec.destination ? ` into ${spec.destination.provider}` : ""}, so remove it`,
    });
  }
  if (spec.lockRetention && !spec.immutable) problems.push({ path: ["lockRetention"], message: "locks an immutability policy, so it needs immutable: true" });
  if (spec.encryption?.kmsKeyId !== undefined && !spec.destination) {
    problems.push({ path: ["encryption", "kmsKeyId"], message: "a key belongs to one cloud: pin destination (provider and region) to use a customer-managed key" });
  }
  if (spec.destination && spec.destination.provider !== src.name) {
    for (const [field, reason] of Object.entries(clouds.get(spec.destination.provider).storage.unsupported)) {
      if (isSet(fieldValue(spec, field))) problems.push({ path: pathOf(field), message: `is not supported with a ${spec.destination.provider} destination: ${reason}` });
    }
  }
  return problems;
}
