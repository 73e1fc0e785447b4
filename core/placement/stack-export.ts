/**
 * Placements recorded in deployed state: `pulumi stack export` JSON, where each
 * `multicloud:index:MultiCloudWorkload` component's outputs carry the normalised `spec` it was
 * planned for and the `plan` it deployed. Drift reads these for workloads the stack config does
 * not pin yet, so the first `drift --write` pins what is actually running.
 */
import * as fs from "node:fs";
import { UserError } from "../util/errors";
import type { CloudSet } from "../clouds/cloud-set";
import { readPlacementRecord, type PinnedPlacement } from "./record";

export const WORKLOAD_TOKEN = "multicloud:index:MultiCloudWorkload";

interface ExportedResource {
  urn?: string;
  type?: string;
  outputs?: Record<string, unknown>;
}

export function readStackExport(file: string, clouds: CloudSet): Record<string, PinnedPlacement> {
  let parsed: { deployment?: { resources?: ExportedResource[] } };
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === "ENOENT" ? `stack export file not found: ${file} (create it with \`pulumi stack export --file ${file}\`)` : `${file}: not a \`pulumi stack export\` JSON file: ${(err as Error).message}`);
  }
  const resources = parsed?.deployment?.resources;
  if (!Array.isArray(resources)) throw new UserError(`${file}: not a \`pulumi stack export\` file (no deployment.resources)`);
  const raw: Record<string, unknown> = {};
  for (const r of resources) {
    if (r.type !== WORKLOAD_TOKEN) continue;
    const plan = r.outputs?.plan as { workload?: string; specHash?: string } | undefined;
    const spec = r.outputs?.spec;
    if (!plan || !spec || typeof plan.workload !== "string") continue; // still being created, or from an older version
    raw[plan.workload] = { specHash: plan.specHash, spec, plan };
  }
  try {
    return readPlacementRecord(raw, clouds);
  } catch (err) {
    throw err instanceof UserError ? new UserError(`${file}: ${err.message}`, err.problems) : err;
  }
}
