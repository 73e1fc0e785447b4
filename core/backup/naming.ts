/**
 * Physical names of the cloud resources a backup creates (bucket, storage account, factory,
 * roles, service accounts). Pure and deterministic: a function of the Pulumi project, stack and
 * component name only, so previews are stable and two stacks never collide on a globally unique
 * name (S3 and GCS buckets, storage accounts, data factories).
 *
 *   dns(max, suffix):  "mc-bk-<slug>-<hash8>[-<suffix>]"  lower-case letters, digits and '-'
 *   compact(max):      "mcbk<slug>< hash8>"               lower-case letters and digits only
 *
 * `<slug>` is the component name made safe and cut to fit `max`; `<hash8>` is the first 8 hex
 * digits of sha256("project/stack/name"), which keeps names unique when slugs are cut. Changing
 * this scheme renames (replaces) every backup bucket: treat it as a breaking change.
 */
import { createHash } from "node:crypto";
import { slug as toSlug } from "../util/slug";

export interface PhysicalNames {
  slug: string;
  hash: string;
  dns(max: number, suffix?: string): string;
  compact(max: number): string;
}

export function physicalNames(project: string, stack: string, name: string): PhysicalNames {
  const hash = createHash("sha256").update(`${project}/${stack}/${name}`).digest("hex").slice(0, 8);
  const slug = toSlug(name) || "backup";
  return {
    slug,
    hash,
    dns(max, suffix) {
      const tail = `-${hash}${suffix ? `-${suffix}` : ""}`;
      const room = max - "mc-bk-".length - tail.length;
      if (room < 1) throw new Error(`name budget ${max} too small for suffix "${suffix ?? ""}"`);
      return `mc-bk-${slug.slice(0, room).replace(/-+$/, "")}${tail}`;
    },
    compact(max) {
      const alnum = slug.replace(/-/g, "");
      const room = max - "mcbk".length - hash.length;
      if (room < 0) throw new Error(`name budget ${max} too small`);
      return `mcbk${alnum.slice(0, room)}${hash}`;
    },
  };
}
