/**
 * "(output)" (core/spec/traffic.ts FROM_OUTPUT) is what the components put where a Pulumi program
 * gave an Output; the core then checks only that a value is there. A spec file cannot give an
 * Output, so the placeholder written in one is refused, naming each field and its line, before any
 * planning: before, `multicloud plan` accepted it as a tag value or a DNS zone id.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli } from "./helpers/cli";

const ROOT = path.resolve(__dirname, "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-output-placeholder-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let written = 0;

/** A copy of an example spec with `extra` appended, in the test's folder. */
function withLines(source: string, extra: string): string {
  const file = path.join(dir, `${path.basename(path.dirname(source))}-${++written}.yaml`);
  fs.writeFileSync(file, `${fs.readFileSync(path.join(ROOT, source), "utf8").trimEnd()}\n${extra}`);
  return file;
}

describe("the (output) placeholder in a spec file", () => {
  it("is refused in a workload spec, naming each field with its line", async () => {
    const file = withLines("examples/web/workload.yaml", 'tags:\n  team: "(output)"\n  owner: ["(output)"]\n');
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const teamLine = lines.findIndex((l) => l.includes("team:")) + 1;
    const r = await cli("plan", file, "--offline");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("invalid workload spec (2 problems)");
    expect(r.stderr).toContain(`${file}:${teamLine}: tags.team: "(output)" stands for a value another Pulumi resource computes, which a spec file cannot give: write the value itself`);
    expect(r.stderr).toContain(`${file}:${teamLine + 1}: tags.owner[0]: "(output)" stands for a value another Pulumi resource computes`);
  });

  it("is refused as traffic.dns.zoneId in a workload spec", async () => {
    const file = withLines("examples/web/workload.yaml", '  dns: { zoneId: "(output)", name: web.example.com }\n');
    const r = await cli("plan", file, "--offline");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/traffic\.dns\.zoneId: "\(output\)" stands for a value another Pulumi resource computes/);
  });

  it("is refused in a backup spec file", async () => {
    const file = withLines("examples/backup/backup.yaml", "  cost-center: \"(output)\"\n");
    const r = await cli("backup", "plan", file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/invalid backup spec: .*tags\.cost-center: "\(output\)" stands for a value another Pulumi resource computes/);
  });

  it("leaves a value that only contains the word alone", async () => {
    const file = withLines("examples/web/workload.yaml", 'tags:\n  team: "output"\n  note: "(output) and more"\n');
    const r = await cli("plan", file, "--offline", "--format", "json");
    expect(r.stderr).not.toContain("stands for a value");
    expect(r.code).toBe(0);
  });
});
