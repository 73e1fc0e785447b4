/**
 * The pull-request view (DESIGN.md "Reviewing a change"): `multicloud plan SPEC --stack-config F`
 * without `--write` shows the new plan against the one pinned in F, in drift's `+ ~ -` form with
 * the monthly delta, and exits 0 when the pinned plan is exactly the new plan, 2 when they differ
 * or nothing is pinned yet, 1 on error. It never writes the stack config.
 */
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { catalogCsv, offer } from "./helpers/catalog";
import { cli } from "./helpers/cli";


function scenario() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-review-"));
  const write = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
  const catalog = write(
    "prices.csv",
    catalogCsv([
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
      offer({ provider: "gcp", region: "us-central1", instanceType: "n.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.11 }),
    ]),
  );
  const spec = write("web.yaml", "name: web\ndemand: { replicas: 10, cpu: 2, memoryGiB: 8 }\nproviders: { aws: {}, gcp: {} }\nconstraints: { maxProviderShare: 0.6 }\n");
  const stack = write("Pulumi.prod.yaml", "config:\n  aws:region: us-east-1\n");
  return { dir, spec, catalog, stack, write };
}

describe("multicloud plan --stack-config (review)", () => {
  it("exits 2 with the whole plan as added rows when nothing is pinned, and writes nothing", async () => {
    const s = scenario();
    const before = fs.readFileSync(s.stack, "utf8");
    const r = await cli("plan", s.spec, "--catalog", s.catalog, "--stack-config", s.stack);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^web: not pinned in .*Pulumi\.prod\.yaml yet: \$759\.20\/month/);
    expect(r.stdout).toMatch(/\+.*aws.*us-east-1.*m\.large.*0 -> 6/);
    expect(fs.readFileSync(s.stack, "utf8")).toBe(before);
  });

  it("exits 0 when the pinned plan is exactly the new plan", async () => {
    const s = scenario();
    expect((await cli("plan", s.spec, "--catalog", s.catalog, "--stack-config", s.stack, "--write")).code).toBe(0);
    const r = await cli("plan", s.spec, "--catalog", s.catalog, "--stack-config", s.stack);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^web: no change to the plan pinned in .*Pulumi\.prod\.yaml \(\$759\.20\/month\)/);
  });

  it("shows what an edited spec does to the pinned plan: rows, monthly delta, the spec change; markdown for a PR", async () => {
    const s = scenario();
    await cli("plan", s.spec, "--catalog", s.catalog, "--stack-config", s.stack, "--write");
    s.write("web.yaml", "name: web\ndemand: { replicas: 20, cpu: 2, memoryGiB: 8 }\nproviders: { aws: {}, gcp: {} }\nconstraints: { maxProviderShare: 0.6 }\n");
    const r = await cli("plan", s.spec, "--catalog", s.catalog, "--stack-config", s.stack, "--format", "markdown");
    expect(r.code).toBe(2);
    // 10 -> 20 replicas: aws 6 -> 12, gcp 4 -> 8; +$759.20 a month.
    expect(r.stdout).toMatch(/^### web: \+\$759\.20\/month \(\+100\.0%\), from \$759\.20 to \$1,518\.40/);
    expect(r.stdout).toContain("| ~ | aws | us-east-1 | m.large | on-demand | 6 -> 12 | 6 -> 12 |");
    expect(r.stdout).toContain("- spec: demand.replicas: 10 -> 20");
    const json = JSON.parse((await cli("plan", s.spec, "--catalog", s.catalog, "--stack-config", s.stack, "--format", "json")).stdout);
    expect(json).toMatchObject({ workload: "web", status: "changed", beforeMonthlyUsd: 759.2, afterMonthlyUsd: 1518.4, deltaMonthlyUsd: 759.2 });
  });

  it("exits 1 on a stack config that does not exist", async () => {
    const s = scenario();
    const r = await cli("plan", s.spec, "--catalog", s.catalog, "--stack-config", path.join(s.dir, "Pulumi.nope.yaml"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*Pulumi\.nope\.yaml/);
  });
});
