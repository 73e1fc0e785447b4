/** A stack config, workload specs and crafted catalogs for the audit tests, and the CLI run in process. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { catalogCsv, offer } from "../helpers/catalog";
export { cli } from "../helpers/cli";


export const STACK = `# Production stack: reviewed by the infra team.
config:
  aws:region: us-east-1   # the default provider's region
`;

export interface Scenario {
  dir: string;
  stack: string;
  log: string;
  /** web: 10 replicas on aws or gcp. */
  web: string;
  /** api: 2 replicas, aws only: drift never moves it. */
  api: string;
  /** gcp at $0.11/h: aws ($0.10) is cheapest. */
  before: string;
  /** gcp at $0.08/h: drift proposes moving web. */
  after: string;
}

export function scenario(): Scenario {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-audit-"));
  const write = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
  const prices = (gcp: number) =>
    catalogCsv([
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
      offer({ provider: "gcp", region: "us-central1", instanceType: "n.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: gcp }),
    ]);
  const s: Scenario = {
    dir,
    web: write("web.yaml", "name: web\ndemand: { replicas: 10, cpu: 2, memoryGiB: 8 }\nproviders: { aws: {}, gcp: {} }\n"),
    api: write("api.yaml", "name: api\ndemand: { replicas: 2, cpu: 2, memoryGiB: 8 }\nproviders: { aws: {} }\n"),
    before: write("before.csv", prices(0.11)),
    after: write("after.csv", prices(0.08)),
    stack: write("Pulumi.prod.yaml", STACK),
    log: path.join(dir, "Pulumi.prod.placements.log"),
  };
  // Catalog files are dated by their mtime: pin it, so the prices' asOf is known.
  for (const f of [s.before, s.after]) fs.utimesSync(f, new Date("2026-07-20T12:00:00Z"), new Date("2026-07-20T12:00:00Z"));
  return s;
}

export function logLines(s: Scenario): Record<string, any>[] {
  return fs.readFileSync(s.log, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}
