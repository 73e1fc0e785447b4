/**
 * Where verify and restore look: the source named by the spec, and the backup's physical names
 * derived the way the component derives them (core/backup/naming.ts: project, stack and the
 * backup's name), from the stack config file `Pulumi.<stack>.yaml` and the `Pulumi.yaml` beside it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { UserError } from "../util/errors";
import { physicalNames, type PhysicalNames } from "./naming";
import type { StoreLocation } from "./restore";
import type { BackupSpec } from "./spec";

/** The spec's source as a store location, and its prefix. */
export function sourceStore(spec: BackupSpec): { location: StoreLocation; prefix: string } {
  const s = spec.source;
  const bucket = s.bucket ?? s.container;
  if (bucket === undefined) throw new UserError("source: names no bucket or container");
  return { location: { provider: s.provider, region: s.region, bucket, ...(s.storageAccount ? { account: s.storageAccount } : {}) }, prefix: s.prefix ?? "" };
}

/**
 * The physical names of backup `name` in the stack whose config file is `stackConfig`
 * (`Pulumi.prod.yaml` is stack `prod`; the project is the `name:` of the Pulumi.yaml beside it).
 */
export function namesFromStackConfig(stackConfig: string, name: string): PhysicalNames {
  const m = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(stackConfig));
  if (!m) throw new UserError(`--stack-config: expected a file named Pulumi.<stack>.yaml, got ${path.basename(stackConfig)}`);
  if (!fs.existsSync(stackConfig)) throw new UserError(`--stack-config: file not found: ${stackConfig}`);
  const dir = path.dirname(stackConfig);
  const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!projectFile) throw new UserError(`--stack-config: no Pulumi.yaml beside ${stackConfig}: the project name (its \`name:\`) is part of the backup's bucket name`);
  const project = (parseDocument(fs.readFileSync(projectFile, "utf8")).toJS() as { name?: unknown } | null)?.name;
  if (typeof project !== "string" || project === "") throw new UserError(`${projectFile}: has no \`name:\` (the project name)`);
  // A stack named org/project/stack in the CLI is stored as Pulumi.stack.yaml; the engine's stack name is the last part.
  return physicalNames(project, m[1]!, name);
}

/** `--as-of TIME`: an ISO 8601 time with a zone (`2026-11-28T06:00:00Z`), or a date (midnight UTC). */
export function parseAsOf(text: string | undefined, flag = "--as-of"): Date | undefined {
  if (text === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/.test(iso);
  const time = Date.parse(iso);
  // Date.parse rolls 2026-02-30 over to March 2: the calendar date must survive the round trip.
  const [y, mo, d] = iso.slice(0, 10).split("-").map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(y, mo - 1, d));
  const real = calendar.getUTCFullYear() === y && calendar.getUTCMonth() === mo - 1 && calendar.getUTCDate() === d;
  if (!ok || !real || Number.isNaN(time)) throw new UserError(`${flag}: expected an ISO 8601 time with a zone, e.g. 2026-11-28T06:00:00Z, or a date, got ${JSON.stringify(text)}`);
  return new Date(time);
}
