/**
 * Cold runs, as users run them: each measurement is a fresh process (`node bin/multicloud.js ...`,
 * what `npx multicloud` runs), timed from spawn to exit, median of 5, interleaved with `node -e 0`
 * (bare node) so that every figure is also a ratio to node's own start on the same machine at the
 * same load. Goals are those of issue 13; a goal missed by more than 50 % is a regression.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { writeDriftFixture } from "./drift-fixture";
import { writeLargeCatalog } from "./large-catalog";

const root = path.resolve(__dirname, "..");
const cli = path.join(root, "bin", "multicloud.js");

export interface Goal {
  name: string;
  /** Median, in ms (or MiB for a memory goal). */
  value: number;
  unit: "ms" | "MiB";
  /** Absolute goal, in the same unit. */
  goal?: number;
  /** Goal as a multiple of bare node's start. */
  goalRatio?: number;
  ratio?: number;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Runs `args` under node once; the time from spawn to exit. Exit codes in `ok` are successes. */
function runOnce(args: string[], ok: number[] = [0]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  if (result.status === null || !ok.includes(result.status)) throw new Error(`node ${args.join(" ")} exited ${result.status ?? result.signal}: ${result.stderr.slice(0, 500)}`);
  return ms;
}

/** A CLI run that also reports its peak RSS (a preload prints it on exit, on a line of its own). */
function runWithRss(args: string[], ok: number[] = [0]): { ms: number; rssMiB: number } {
  const preload = path.join(root, "bench", "maxrss.js");
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--require", preload, ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  if (result.status === null || !ok.includes(result.status)) throw new Error(`node ${args.join(" ")} exited ${result.status ?? result.signal}: ${result.stderr.slice(0, 500)}`);
  const match = /^bench-maxrss-kib (\d+)$/m.exec(result.stderr);
  return { ms, rssMiB: match ? Number(match[1]) / 1024 : NaN };
}

/** Plugin start (`node dist/provider/index.js`) to the first GetSchema answer, in ms. */
export async function pluginToSchema(): Promise<number> {
  const started = performance.now();
  const plugin = spawn(process.execPath, [path.join(root, "dist", "provider", "index.js")], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  try {
    let stderr = "";
    plugin.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      plugin.stdout!.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      plugin.once("exit", (code) => reject(new Error(`plugin exited with ${code}: ${stderr}`)));
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const request = new provproto.GetSchemaRequest();
    request.setVersion(0);
    await new Promise<void>((resolve, reject) => client.getSchema(request, (err: Error | null) => (err ? reject(err) : resolve())));
    const ms = performance.now() - started;
    client.close();
    return ms;
  } finally {
    plugin.kill();
  }
}

export async function coldRuns(runs = 5, log: (line: string) => void = console.log): Promise<{ goals: Goal[]; nodeMs: number }> {
  const fixtureDir = fs.mkdtempSync(path.join(os.tmpdir(), "multicloud-bench-"));
  try {
    const stackConfig = await writeDriftFixture(fixtureDir);
    const large = writeLargeCatalog(fixtureDir, root);
    const samples: Record<string, number[]> = { node: [], help: [], plan: [], rss: [], quota: [], drift: [], plugin: [], catalog: [] };
    for (let i = 0; i < runs; i++) {
      samples.node!.push(runOnce(["-e", "0"]));
      samples.help!.push(runOnce([cli, "--help"]));
      const plan = runWithRss([cli, "plan", "bench/all-regions.yaml", "--offline", "--format", "json"]);
      samples.plan!.push(plan.ms);
      samples.rss!.push(plan.rssMiB);
      samples.quota!.push(runOnce([cli, "plan", "bench/quota-20.yaml", "--offline", "--format", "json"]));
      // The same plan read from the large price file instead of the embedded snapshot.
      samples.catalog!.push(runOnce([cli, "plan", "bench/all-regions.yaml", "--offline", "--format", "json", "--catalog", large.file]));
      samples.drift!.push(runOnce([cli, "drift", "--stack-config", stackConfig, "--offline", "--format", "json"], [0, 2]));
      samples.plugin!.push(await pluginToSchema());
      log(`   run ${i + 1}/${runs} done`);
    }
    const nodeMs = median(samples.node!);
    const snapshotPathMs = median(samples.plan!);
    const goal = (name: string, key: string, g: Omit<Goal, "name" | "value" | "unit" | "ratio">, unit: Goal["unit"] = "ms"): Goal => {
      const value = median(samples[key]!);
      return { name, value, unit, ...g, ...(unit === "ms" ? { ratio: value / nodeMs } : {}) };
    };
    return {
      nodeMs,
      goals: [
        goal("plan all-regions --offline", "plan", { goal: 1000, goalRatio: 6 }),
        goal("plan quota-20 --offline", "quota", { goal: 1500 }),
        goal("--help", "help", { goalRatio: 2 }),
        goal("drift, 20 pinned workloads", "drift", { goal: 3000 }),
        goal("plugin start to GetSchema", "plugin", { goal: 1000 }),
        goal("peak RSS, all-regions plan", "rss", { goal: 150 }, "MiB"),
        // Goal: the snapshot path's median (measured above, same run) + 0.5 s.
        goal(`--catalog ${Math.round(large.rows / 1000)}k rows (snapshot +0.5 s)`, "catalog", { goal: Math.round(snapshotPathMs + 500) }),
      ],
    };
  } finally {
    fs.rmSync(fixtureDir, { recursive: true, force: true });
  }
}

/** How far a goal is missed: 1 met exactly; > 1.5 is a regression. */
export function missFactor(g: Goal, nodeMs: number): number {
  const limits = [g.goal, g.goalRatio !== undefined ? g.goalRatio * nodeMs : undefined].filter((x): x is number => x !== undefined);
  return Math.max(...limits.map((limit) => g.value / limit));
}

export function printGoals(goals: readonly Goal[], nodeMs: number, log: (line: string) => void = console.log): boolean {
  const pad = (cells: string[]) => log(cells.map((c, i) => (i === 0 ? c.padEnd(30) : c.padStart(14))).join(" "));
  pad(["what", "median", "x bare node", "goal", "status"]);
  let regression = false;
  for (const g of goals) {
    const goalText = [g.goal !== undefined ? `${g.goal} ${g.unit}` : "", g.goalRatio !== undefined ? `${g.goalRatio}x node` : ""].filter(Boolean).join(", ");
    const miss = missFactor(g, nodeMs);
    if (miss > 1.5) regression = true;
    pad([g.name, `${g.value.toFixed(0)} ${g.unit}`, g.ratio !== undefined ? `${g.ratio.toFixed(2)}x` : "", goalText, miss <= 1 ? "met" : miss > 1.5 ? `MISSED ${miss.toFixed(2)}x` : `missed ${miss.toFixed(2)}x`]);
  }
  return regression;
}

// `npm run bench:cold`: only these measurements.
if (require.main === module) {
  coldRuns(Number(process.env.BENCH_RUNS ?? 5)).then(
    ({ goals, nodeMs }) => {
      console.log(`${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}; bare node ${nodeMs.toFixed(0)} ms`);
      if (printGoals(goals, nodeMs)) process.exitCode = 1;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
