/**
 * A stack config pinning 20 workloads, for timing `multicloud drift` (bench/run.ts). The specs are
 * variations of the examples (names, replica counts, regions), planned in this one process on the
 * embedded prices and pinned as `multicloud plan --stack-config F --write` pins them, so that a
 * drift run offline re-optimises 20 workloads (and proposes nothing: the prices are the same).
 *
 *   npx tsx bench/drift-fixture.ts [DIR]   prints the path of the Pulumi.<stack>.yaml it wrote
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CLOUDS } from "../clouds/registry";
import { loadSnapshot } from "../core/catalog/snapshot";
import { validateSpec } from "../core/spec/load";
import { planLive } from "../core/prices/plan-live";
import { pinPlacement, readStackConfig, writeStackConfig } from "../core/placement/stack-config";

export const DRIFT_WORKLOADS = 20;

const REGION_SETS: Record<string, string[]>[] = [
  { aws: ["us-east-1", "us-west-2"], azure: ["eastus"], gcp: ["us-central1"] },
  { aws: ["eu-west-1", "eu-central-1"], azure: ["westeurope", "northeurope"], gcp: ["europe-west1", "europe-west4"] },
  { aws: ["us-east-1", "us-east-2", "us-west-2"], gcp: ["us-central1", "us-east1"] },
  { aws: ["ap-northeast-1", "ap-southeast-1"], azure: ["japaneast", "southeastasia"], gcp: ["asia-northeast1", "asia-southeast1"] },
];

/** The i-th workload spec (plain input, as a YAML file would give it). */
export function driftSpec(i: number): Record<string, unknown> {
  const regions = REGION_SETS[i % REGION_SETS.length]!;
  const providers = Object.fromEntries(Object.entries(regions).map(([p, r]) => [p, { regions: r }]));
  const shape = i % 4;
  const demand =
    shape === 0 ? { replicas: 24 + 8 * i, cpu: 2, memoryGiB: 8 } : shape === 1 ? { replicas: 12 + 2 * i, cpu: 2, memoryGiB: 64 } : shape === 2 ? { replicas: 100 + 10 * i, cpu: 4, memoryGiB: 8 } : { replicas: 16 + i, cpu: 1, memoryGiB: 4 };
  return {
    name: `bench-${String(i + 1).padStart(2, "0")}`,
    demand,
    instance: { arch: shape === 2 ? "any" : "x86_64", ...(shape === 1 ? { maxReplicasPerInstance: 4 } : {}) },
    providers,
    constraints: {
      minProviders: 2,
      maxProviderShare: 0.75,
      ...(shape === 2 ? { maxSpotShare: 0.5 } : { survivesProviderLoss: 0.4 }),
    },
  };
}

/** Writes `Pulumi.bench.yaml` in `dir` (a new temporary folder by default) and returns its path. */
export async function writeDriftFixture(dir: string = fs.mkdtempSync(path.join(os.tmpdir(), "multicloud-drift-"))): Promise<string> {
  const file = path.join(dir, "Pulumi.bench.yaml");
  fs.writeFileSync(file, "config:\n  aws:region: us-east-1\n");
  const config = readStackConfig(file, CLOUDS);
  const catalog = loadSnapshot();
  for (let i = 0; i < DRIFT_WORKLOADS; i++) {
    const spec = validateSpec(driftSpec(i), catalog, CLOUDS);
    const { plan } = await planLive(spec, { clouds: CLOUDS, offline: true });
    pinPlacement(config, spec, plan);
  }
  writeStackConfig(config);
  return file;
}

if (require.main === module) {
  writeDriftFixture(process.argv[2]).then(
    (file) => console.log(file),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
