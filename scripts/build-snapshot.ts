/**
 * Builds the embedded price snapshot: runs every cloud adapter's `buildSnapshot` over the public
 * price tables (../shared/pricing-sources by default) and writes data/snapshot/catalog.json (format:
 * core/catalog/snapshot-format.ts) plus data/snapshot/ATTRIBUTION.md naming the sources, their
 * licences and what the builders did to the data. The raw tables are never copied.
 *
 *   npx tsx scripts/build-snapshot.ts [--sources DIR]
 *
 * Output is deterministic (sorted, no timestamps, no local paths): rebuilding from the same
 * sources gives byte-identical files, so a price refresh reviews as a plain diff.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CloudAdapter, SnapshotBuild } from "../core/clouds/adapter";
import { CLOUDS } from "../clouds/registry";
import { cmp, type InstanceOffer } from "../core/catalog/offer";
import { SNAPSHOT_SCHEMA, type SnapshotFile, type SnapshotProvider, type SnapshotRegion, type SnapshotType } from "../core/catalog/snapshot-format";
import { packageRoot } from "../core/util/package-root";

/** One adapter's build, ready to be written. */
export interface ProviderBuild {
  adapter: Pick<CloudAdapter, "name" | "displayName" | "isBurstable">;
  build: SnapshotBuild;
}

/** The same ordering everywhere: plain code-unit comparison, never locale-dependent. */
const sorted = (names: Iterable<string>): string[] => [...names].sort(cmp);

function typeEntry(o: InstanceOffer): SnapshotType {
  return [o.instanceType, o.vcpu, o.memoryGiB, o.gpus, o.gpuType, o.arch, o.burstable ? 1 : 0];
}

/**
 * Converts one provider's rows to the on-disk layout. The builders leave `burstable` false because
 * they cannot import their adapter (./index imports them): the adapter's rule is applied here.
 * Fails on rows a loader could not trust (duplicates, a type with two specs, bad prices).
 */
export function toSnapshotProvider({ adapter, build }: ProviderBuild): SnapshotProvider {
  const rows = build.rows.map((r) => ({ ...r, burstable: adapter.isBurstable(r.instanceType) }));
  const specs = new Map<string, string>();
  const seen = new Set<string>();
  for (const r of rows) {
    checkRow(adapter.name, r);
    const key = `${r.region}/${r.instanceType}`;
    if (seen.has(key)) throw new Error(`${adapter.name}: duplicate row ${key}`);
    seen.add(key);
    const spec = JSON.stringify(typeEntry(r));
    const known = specs.get(r.instanceType);
    if (known !== undefined && known !== spec) throw new Error(`${adapter.name}: ${r.instanceType} has two specs: ${known} and ${spec}`);
    specs.set(r.instanceType, spec);
  }
  const typeNames = sorted(specs.keys());
  const index = new Map(typeNames.map((name, i) => [name, i]));
  const types = typeNames.map((name) => JSON.parse(specs.get(name)!) as SnapshotType);

  const byRegion = new Map<string, InstanceOffer[]>();
  for (const r of rows) {
    const list = byRegion.get(r.region);
    if (list) list.push(r);
    else byRegion.set(r.region, [r]);
  }
  const regions: Record<string, SnapshotRegion> = {};
  for (const region of sorted(byRegion.keys())) {
    const regionRows = byRegion.get(region)!.sort((a, b) => cmp(a.instanceType, b.instanceType));
    regions[region] = {
      type: regionRows.map((r) => index.get(r.instanceType)!),
      onDemandHourlyUsd: regionRows.map((r) => r.onDemandHourlyUsd),
      spotHourlyUsd: regionRows.map((r) => r.spotHourlyUsd),
      spotEstimated: regionRows.map((r) => (r.spotEstimated ? 1 : 0)),
    };
  }
  const regionAsOf: Record<string, string> = {};
  for (const region of sorted(Object.keys(build.regionAsOf))) regionAsOf[region] = build.regionAsOf[region]!;
  return { asOf: build.asOf, regionAsOf, types, regions };
}

function checkRow(provider: string, r: InstanceOffer): void {
  const where = `${provider}/${r.region}/${r.instanceType}`;
  if (r.provider !== provider) throw new Error(`${where}: row claims provider ${r.provider}`);
  if (!(r.vcpu > 0 && r.memoryGiB > 0 && r.gpus >= 0)) throw new Error(`${where}: bad specs`);
  if ((r.gpus > 0) !== (r.gpuType !== null)) throw new Error(`${where}: gpus ${r.gpus} with gpuType ${String(r.gpuType)}`);
  if (!(r.onDemandHourlyUsd > 0)) throw new Error(`${where}: bad on-demand price ${r.onDemandHourlyUsd}`);
  if (r.spotHourlyUsd !== null && !(r.spotHourlyUsd > 0)) throw new Error(`${where}: bad spot price ${r.spotHourlyUsd}`);
}

export function toSnapshotFile(builds: readonly ProviderBuild[]): SnapshotFile {
  const providers: Record<string, SnapshotProvider> = {};
  for (const b of [...builds].sort((x, y) => cmp(x.adapter.name, y.adapter.name))) providers[b.adapter.name] = toSnapshotProvider(b);
  return { schema: SNAPSHOT_SCHEMA, providers };
}

/**
 * Hand-rolled JSON: one line per type and per region, so a price refresh shows up as changed
 * region lines instead of one giant line (or hundreds of thousands of pretty-printed ones).
 */
export function renderSnapshot(file: SnapshotFile): string {
  const j = (v: unknown): string => JSON.stringify(v);
  const providers = Object.entries(file.providers).map(([name, p]) => {
    const types = p.types.map((t) => `        ${j(t)}`).join(",\n");
    const regions = Object.entries(p.regions).map(([region, prices]) => `        ${j(region)}: ${j(prices)}`).join(",\n");
    return [
      `    ${j(name)}: {`,
      `      "asOf": ${j(p.asOf)},`,
      `      "regionAsOf": ${j(p.regionAsOf)},`,
      `      "types": [\n${types}\n      ],`,
      `      "regions": {\n${regions}\n      }`,
      `    }`,
    ].join("\n");
  });
  return `{\n  "schema": ${j(file.schema)},\n  "providers": {\n${providers.join(",\n")}\n  }\n}\n`;
}

const MIT_NOTICE = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

const cell = (s: string): string => s.replace(/\|/g, "\\|");

export function renderAttribution(builds: readonly ProviderBuild[], file: SnapshotFile): string {
  const ordered = [...builds].sort((x, y) => cmp(x.adapter.name, y.adapter.name));
  const out: string[] = [
    "# Embedded price snapshot: sources and attribution",
    "",
    "`catalog.json` in this folder is the offline default price catalog of pulumi-multicloud. It is a",
    "**derived, normalised catalog, not the raw files**: it was computed by `scripts/build-snapshot.ts`",
    "(`npm run snapshot`) from the public price tables listed below, which are not shipped with this",
    "package. Prices are list prices in US dollars per instance-hour (Linux), before any discount;",
    "monthly = hourly x 730. They age: live price adapters are the real source, and plans report the",
    "as-of date of the prices they used.",
    "",
    "## Contents",
    "",
    "| provider | rows | instance types | regions | prices as of |",
    "|---|---|---|---|---|",
  ];
  for (const { adapter } of ordered) {
    const p = file.providers[adapter.name]!;
    const rows = Object.values(p.regions).reduce((n, r) => n + r.type.length, 0);
    const dates = [p.asOf, ...Object.entries(p.regionAsOf).map(([r, d]) => `${r}: ${d}`)].join("; ");
    out.push(`| ${adapter.displayName} | ${rows} | ${p.types.length} | ${Object.keys(p.regions).length} | ${dates} |`);
  }
  out.push("", "## Sources", "", "| file (in the build's sources folder) | what | upstream | licence | as of |", "|---|---|---|---|---|");
  for (const { build } of ordered) {
    for (const s of build.sources) out.push(`| \`${s.file}\` | ${cell(s.what)} | ${cell(s.origin)} | ${cell(s.licence)} | ${s.asOf} |`);
  }
  out.push(
    "",
    "The underlying prices are facts published by AWS, Microsoft Azure and Google Cloud; the tables",
    "above are the openly licensed collections they were taken from. Apache-2.0 sources: see",
    "https://www.apache.org/licenses/LICENSE-2.0.",
    "",
    "Data derived from vantage-sh/ec2instances.info is used under the MIT licence:",
    "",
    "```",
    "Copyright (c) 2013 Garret Heaton",
    "",
    MIT_NOTICE,
    "```",
    "",
    "## What the builders did",
  );
  for (const { adapter, build } of ordered) {
    out.push("", `### ${adapter.displayName}`, "", ...build.notes.map((n) => `- ${n}`));
  }
  out.push(
    "",
    "Common to all providers: prices rounded to at most 8 decimals (spot estimates to 6); each instance",
    "type has one spec (vCPU, memory, GPUs, architecture) in every region, the most common one where the",
    "sources disagree; `burstable` follows each adapter's rule in `clouds/<cloud>/index.ts`.",
    "",
  );
  return out.join("\n");
}

function sourcesDirFrom(argv: readonly string[], repoRoot: string): string {
  const i = argv.findIndex((a) => a === "--sources" || a.startsWith("--sources="));
  if (i < 0) return path.resolve(repoRoot, "..", "shared", "pricing-sources");
  const arg = argv[i]!;
  const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[i + 1];
  if (!value) throw new Error("--sources needs a directory");
  return path.resolve(value);
}

function main(): void {
  const repoRoot = packageRoot();
  const sourcesDir = sourcesDirFrom(process.argv.slice(2), repoRoot);
  const builds: ProviderBuild[] = CLOUDS.adapters.map((adapter) => ({ adapter, build: adapter.buildSnapshot(sourcesDir) }));
  const file = toSnapshotFile(builds);
  const outDir = path.join(repoRoot, "data", "snapshot");
  fs.mkdirSync(outDir, { recursive: true });
  const json = renderSnapshot(file);
  fs.writeFileSync(path.join(outDir, "catalog.json"), json);
  fs.writeFileSync(path.join(outDir, "ATTRIBUTION.md"), renderAttribution(builds, file));
  for (const { adapter, build } of builds) {
    console.log(`${adapter.name}: ${build.rows.length} rows`);
    for (const n of build.notes) console.log(`  - ${n}`);
  }
  console.log(`wrote ${path.relative(repoRoot, outDir)}/catalog.json (${(Buffer.byteLength(json) / 1e6).toFixed(2)} MB) and ATTRIBUTION.md`);
}

if (require.main === module) main();
