/**
 * `multicloud backup plan SPEC`: read the spec, plan the destination offline, render.
 * `multicloud backup verify SPEC --live`: list the source and the backup, compare (core/backup/verify.ts).
 * `multicloud backup restore SPEC --to T`: list the backup and the target, plan (core/backup/restore.ts),
 * and with --apply copy through the clouds' storage clients (kit/backup/storage.ts).
 */
import { loadStoragePrices, planBackupFile, type BackupSpec, type StoragePrices } from "../../core/backup";
import { planRestore, type StoreLocation } from "../../core/backup/restore";
import { renderRestorePlan, type RestoreFormat } from "../../core/backup/restore-format";
import { verifyListings, type ListedObject } from "../../core/backup/verify";
import { formatBytes, renderVerifyReport } from "../../core/backup/verify-format";
import { namesFromStackConfig, parseAsOf, sourceStore } from "../../core/backup/verify-locations";
import type { PhysicalNames } from "../../core/backup/naming";
import { UserError } from "../../core/util/errors";
import { CopyInterrupted, copyObjects, pageSizeFromEnv, type ListOptions, type StorageClient } from "../../kit/backup/storage";
import type { Cloud } from "../../kit/cloud";
import { renderBackupPlan } from "../../core/backup/format";
import type { OutputFormat } from "../../core/plan/format";
import { writeFileAtomic } from "../../core/util/files";
import type { Io } from "./io";
import type { CloudSet } from "../../core/clouds/cloud-set";

export interface BackupPlanOptions {
  format: OutputFormat;
  out?: string;
}

export async function backupPlanCommand(specFile: string, options: BackupPlanOptions, io: Io, clouds: CloudSet): Promise<number> {
  const { plan } = planBackupFile(specFile, clouds);
  const text = renderBackupPlan(plan, options.format);
  if (options.out) {
    writeFileAtomic(options.out, text);
    io.stderr(`wrote the ${options.format} backup plan for ${plan.name} to ${options.out}\n`);
  } else {
    io.stdout(text);
  }
  return 0;
}

export interface BackupLocateOptions {
  /** The backup's URL (the component's `destination.url` output). */
  destination?: string;
  /** Pulumi.<stack>.yaml: derive the backup's names as the component does. */
  stackConfig?: string;
}

export interface BackupVerifyOptions extends BackupLocateOptions {
  live?: boolean;
  asOf?: string;
  format: OutputFormat;
}

export interface BackupRestoreOptions extends BackupLocateOptions {
  to: string;
  prefix?: string;
  asOf?: string;
  apply?: boolean;
  inPlace?: boolean;
  format: RestoreFormat;
}

interface Side {
  client: StorageClient;
  location: StoreLocation;
  prefix: string;
}

async function storageClient(clouds: CloudSet, provider: string): Promise<StorageClient> {
  const cloud = clouds.get(provider) as Partial<Cloud>;
  if (!cloud.loadStorageClient) throw new UserError(`${provider} has no storage client in this build: backup verify --live and restore cannot reach it`);
  return cloud.loadStorageClient();
}

/** The source (from the spec) and the backup (from --destination, or named as the component names it). */
async function locate(specFile: string, options: BackupLocateOptions, clouds: CloudSet): Promise<{ spec: BackupSpec; name: string; source: Side; backup: Side; names?: PhysicalNames }> {
  const { spec, plan } = planBackupFile(specFile, clouds);
  const src = sourceStore(spec);
  const source: Side = { client: await storageClient(clouds, src.location.provider), ...src };
  const planned = plan.destination;
  if (options.destination !== undefined) {
    // The plan's cloud first; a backup deployed with other prices may sit on another cloud.
    const order = [planned.provider, ...clouds.names.filter((n) => n !== planned.provider && n !== src.location.provider)];
    for (const provider of order) {
      const client = await storageClient(clouds, provider);
      const parsed = client.parseUrl(options.destination);
      if (!parsed) continue;
      // Off the plan's cloud the region is unknown: any of the cloud's (S3 follows region redirects).
      const region = provider === planned.provider ? planned.region : Object.keys(clouds.get(provider).regions)[0]!;
      return { spec, name: plan.name, source, backup: { client, location: { ...parsed.location, region }, prefix: parsed.prefix || src.prefix } };
    }
    throw new UserError(`--destination: ${JSON.stringify(options.destination)} is not a backup URL (s3://BUCKET/PREFIX, gs://BUCKET/PREFIX or https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX: the component's destination.url output)`);
  }
  if (options.stackConfig === undefined) {
    throw new UserError("the backup's location: give --destination URL (the component's destination.url output) or --stack-config Pulumi.<stack>.yaml (its bucket name derives from the project, stack and backup name)");
  }
  const names = namesFromStackConfig(options.stackConfig, plan.name);
  const client = await storageClient(clouds, planned.provider);
  // The emitters copy the source prefix to the same path in the destination.
  return { spec, name: plan.name, source, backup: { client, location: client.backupStore(names, planned.region), prefix: src.prefix }, names };
}

/** Lists one side, turning the SDK's failures (no bucket, no permission, no network) into one clear error. */
async function listAll(side: Side, what: string, options: ListOptions, prefix = side.prefix): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  try {
    for await (const o of side.client.list(side.location, prefix, { ...options, pageSize: pageSizeFromEnv() })) out.push(o);
  } catch (err) {
    throw new UserError(`listing the ${what} ${side.client.url(side.location, prefix)} failed: ${describeCloudError(err)}`);
  }
  return out;
}

/** Secrets an SDK may echo in an error (a SAS signature in a URL, a key in a connection string). */
const SECRET_PARAMS = /\b(sig|AccountKey|SharedAccessSignature|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|access_token)=[^&;\s"']+/gi;

/** An SDK error as one line: its name (NoSuchBucket, AccessDenied ...) and message, with any credential redacted. */
export function describeCloudError(err: unknown): string {
  const e = err as { name?: string; code?: string | number; message?: string };
  const label = [e.name && e.name !== "Error" ? e.name : undefined, e.code !== undefined && e.code !== e.name ? String(e.code) : undefined].filter(Boolean).join(" ");
  return `${label ? `${label}: ` : ""}${(e.message ?? String(err)).split("\n")[0]}`.replace(SECRET_PARAMS, "$1=REDACTED");
}

/** `multicloud backup verify SPEC --live`: exit 0 complete, 2 gaps (1 on error, from the caller). */
export async function backupVerifyCommand(specFile: string, options: BackupVerifyOptions, io: Io, clouds: CloudSet): Promise<number> {
  if (!options.live) throw new UserError("backup verify needs --live: it lists the source and the backup through the clouds' APIs (list requests are billed)");
  const given = parseAsOf(options.asOf);
  const { source, backup, names } = await locate(specFile, options, clouds);
  // Without --as-of: the start of the transfer service's last successful run, where it can be read.
  const lastRun = given === undefined ? await backup.client.lastTransferRun?.(backup.location, backup.prefix, names) : undefined;
  if (lastRun) io.stderr(`as of ${lastRun.startedAt.toISOString()}: the start of the last successful transfer run, ${lastRun.run}\n`);
  const asOf = given ?? lastRun?.startedAt;
  const [sourceObjects, backupObjects] = await Promise.all([listAll(source, "source", {}), listAll(backup, "backup", {})]);
  const report = verifyListings({ source: sourceObjects, destination: backupObjects, sourcePrefix: source.prefix, destinationPrefix: backup.prefix, asOf });
  io.stdout(renderVerifyReport(report, { source: source.client.url(source.location, source.prefix), destination: backup.client.url(backup.location, backup.prefix) }, options.format));
  return report.complete ? 0 : 2;
}

/** `multicloud backup restore SPEC --to T`: prints the plan; with --apply copies, resumably. */
export async function backupRestoreCommand(specFile: string, options: BackupRestoreOptions, io: Io, clouds: CloudSet, prices: StoragePrices = loadStoragePrices()): Promise<number> {
  const asOf = parseAsOf(options.asOf);
  const { source, backup } = await locate(specFile, options, clouds);
  const to = source.client.parseName(options.to, source.location);
  const prefix = options.prefix ?? backup.prefix;
  if (!prefix.startsWith(backup.prefix)) throw new UserError(`--prefix: "${prefix}" is outside the backup's prefix "${backup.prefix}"; give a key prefix that starts with it, e.g. "${backup.prefix}2026/"`);
  const target: Side = { client: source.client, location: to, prefix };
  // Versions only when a time asks for them: a listing of versions costs more on a large backup.
  const [backupObjects, targetObjects] = await Promise.all([listAll(backup, "backup", { versions: asOf !== undefined }, prefix), listAll(target, "restore target", {}, prefix)]);
  const dir = "./restore";
  const plan = planRestore({
    backup: backupObjects,
    from: { ...backup.location, prefix: backup.prefix },
    target: targetObjects,
    to,
    source: source.location,
    prefix,
    asOf,
    inPlace: Boolean(options.inPlace),
    prices,
    clouds,
    nativeCommands: [backup.client.downloadCommand(backup.location, prefix, dir), source.client.uploadCommand(dir, to, prefix)],
  });
  const header = { from: backup.client.url(backup.location, prefix), to: source.client.url(to, prefix) };
  io.stdout(renderRestorePlan(plan, header, options.format, Boolean(options.apply)));
  if (!options.apply || plan.copy.length === 0) return 0;
  try {
    const done = await copyObjects(plan.copy, backup, target, (item, p) => io.stderr(`restored ${item.key} (${p.copied}/${plan.copy.length})\n`));
    io.stderr(`restored ${done.copied} object(s), ${formatBytes(done.bytes)} into ${header.to}\n`);
    return 0;
  } catch (err) {
    if (err instanceof CopyInterrupted) {
      throw new UserError(`restore interrupted at ${err.key} after ${err.progress.copied} of ${plan.copy.length} object(s): ${describeCloudError(err.cause)}. Run the same command again: it copies only what is not restored yet`);
    }
    throw err;
  }
}
