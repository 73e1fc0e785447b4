/**
 * Builds the storage price snapshot used by backup plans: runs every cloud's
 * `StorageFacts.buildPrices` over the public price tables (../shared/pricing-sources by default),
 * adds the hand-curated request prices and transfer fees, and writes data/snapshot/storage.json
 * (format: core/backup/prices.ts) plus data/snapshot/STORAGE-ATTRIBUTION.md. Raw tables are
 * never copied.
 *
 *   npx tsx scripts/build-storage-prices.ts [--sources DIR]
 *
 * Deterministic: sorted keys, no timestamps, no local paths, so a rebuild from the same sources
 * is byte-identical and a refresh reviews as a diff of region lines.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { CloudAdapter } from "../core/clouds/adapter";
import { CLOUDS } from "../clouds/registry";
import { STORAGE_PRICES_SCHEMA, type ProviderStoragePrices, type StoragePrices } from "../core/backup/prices";
import { TIERS, type StoragePriceBuild } from "../core/backup/types";
import { packageRoot } from "../core/util/package-root";

export interface CloudStorageBuild {
  cloud: CloudAdapter;
  build: StoragePriceBuild;
}

const sortedKeys = <T>(record: Record<string, T>): Record<string, T> => {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key]!;
  return out;
};

export function toStoragePrices(builds: readonly CloudStorageBuild[]): StoragePrices {
  const providers: Record<string, ProviderStoragePrices> = {};
  for (const { cloud, build } of [...builds].sort((a, b) => (a.cloud.name < b.cloud.name ? -1 : 1))) {
    const facts = cloud.storage;
    const transfer: ProviderStoragePrices["transfer"] = {};
    for (const source of Object.keys(facts.routes).sort()) transfer[source] = { ...facts.routes[source]!.fee };
    providers[cloud.name] = {
      asOf: { storage: build.asOf.storage, egress: build.asOf.egress, operations: facts.asOf, transfer: facts.asOf },
      storage: sortedKeys(build.storage),
      egress: sortedKeys(build.egress),
      operations: Object.fromEntries(TIERS.map((t) => [t, { ...facts.operations[t] }])) as ProviderStoragePrices["operations"],
      transfer,
    };
  }
  return { schema: STORAGE_PRICES_SCHEMA, providers };
}

/** One line per region in each table, so that a price refresh shows up as changed lines. */
export function renderStoragePrices(file: StoragePrices): string {
  const j = (v: unknown): string => JSON.stringify(v);
  const block = (record: Record<string, unknown>, indent: string): string =>
    Object.entries(record)
      .map(([key, value]) => `${indent}${j(key)}: ${j(value)}`)
      .join(",\n");
  const providers = Object.entries(file.providers).map(([name, p]) =>
    [
      `    ${j(name)}: {`,
      `      "asOf": ${j(p.asOf)},`,
      `      "storage": {\n${block(p.storage, "        ")}\n      },`,
      `      "egress": {\n${block(p.egress, "        ")}\n      },`,
      `      "operations": ${j(p.operations)},`,
      `      "transfer": ${j(p.transfer)}`,
      `    }`,
    ].join("\n"),
  );
  return `{\n  "schema": ${j(file.schema)},\n  "providers": {\n${providers.join(",\n")}\n  }\n}\n`;
}

const cell = (s: string): string => s.replace(/\|/g, "\\|");

export function renderStorageAttribution(builds: readonly CloudStorageBuild[], file: StoragePrices): string {
  const out: string[] = [
    "# Storage price snapshot: sources and attribution",
    "",
    "`storage.json` in this folder holds the prices that `CrossCloudBackup` and `multicloud backup plan`",
    "use to choose a backup destination: object storage $/GiB-month per region and tier, internet",
    "egress tiers per source region, request prices, and transfer-service fees. It is **derived**:",
    "`scripts/build-storage-prices.ts` computed it from the openly licensed tables listed below (not",
    "shipped with this package) and from small hand-curated tables of published list prices, where no",
    "openly licensed table exists. Prices are list prices in US dollars, before any discount; $/GB as",
    "published is read as $/GiB (the clouds bill 2^30-byte gigabytes). They age: each plan reports the",
    "as-of dates of the prices it used.",
    "",
    "## Contents",
    "",
    "| provider | storage regions | egress regions | storage as of | egress as of | requests and transfer fees as of |",
    "|---|---|---|---|---|---|",
  ];
  for (const [name, p] of Object.entries(file.providers)) {
    out.push(`| ${name} | ${Object.keys(p.storage).length} | ${Object.keys(p.egress).length} | ${p.asOf.storage} | ${p.asOf.egress} | ${p.asOf.operations} |`);
  }
  out.push("", "## Openly licensed sources", "", "| file (in the build's sources folder) | what | upstream | licence | as of |", "|---|---|---|---|---|");
  for (const { build } of builds) {
    for (const s of build.sources) out.push(`| \`${s.file}\` | ${cell(s.what)} | ${cell(s.origin)} | ${cell(s.licence)} | ${s.asOf} |`);
  }
  out.push(
    "",
    "Apache-2.0: see https://www.apache.org/licenses/LICENSE-2.0. The prices themselves are facts",
    "published by AWS, Microsoft Azure and Google Cloud.",
    "",
    "## Hand-curated figures",
    "",
    "These were transcribed by hand from the clouds' own pricing pages, on the date shown, without",
    "network access to re-check them during the build: verify them against the pages whenever this",
    "snapshot is refreshed. They live in `clouds/<cloud>/storage-list-prices.ts`.",
    "",
    "| provider | what | pricing pages | as of |",
    "|---|---|---|---|",
  );
  for (const { cloud, build } of builds) {
    const f = cloud.storage;
    out.push(`| ${cloud.displayName} | ${build.curated.map(cell).join("; ")} | ${f.pricingPages.join(", ")} | ${f.asOf} |`);
  }
  out.push("", "## What the builders did");
  for (const { cloud, build } of builds) {
    const classes = TIERS.map((t) => `${t} = ${cloud.storage.classes[t]}`).join(", ");
    out.push("", `### ${cloud.displayName}`, "", `- tiers: ${classes}`, ...build.notes.map((n) => `- ${n}`));
  }
  out.push("");
  return out.join("\n");
}

/** Builds every cloud's prices from `sourcesDir` and returns the two files' text. */
export function buildStorageSnapshot(sourcesDir: string): { json: string; attribution: string } {
  const builds = CLOUDS.adapters.map((cloud) => ({ cloud, build: cloud.storage.buildPrices(sourcesDir) }));
  const file = toStoragePrices(builds);
  return { json: renderStoragePrices(file), attribution: renderStorageAttribution(builds, file) };
}

function main(): void {
  const repoRoot = packageRoot();
  const { values } = parseArgs({ options: { sources: { type: "string" } } });
  const sourcesDir = path.resolve(values.sources ?? path.join(repoRoot, "..", "shared", "pricing-sources"));
  const { json, attribution } = buildStorageSnapshot(sourcesDir);
  const outDir = path.join(repoRoot, "data", "snapshot");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "storage.json"), json);
  fs.writeFileSync(path.join(outDir, "STORAGE-ATTRIBUTION.md"), attribution);
  console.log(`wrote data/snapshot/storage.json (${(Buffer.byteLength(json) / 1e3).toFixed(1)} kB) and STORAGE-ATTRIBUTION.md`);
}

if (require.main === module) main();
