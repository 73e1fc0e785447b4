/**
 * The fast scan of quote-free catalog files (core/catalog/csv-fast.ts) reads exactly what the
 * record-by-record path reads: the same offers, or the same problems with the same lines and
 * columns. The record path is forced on the same rows by ending the text with a lone "\r" (a line
 * break the scan leaves to it), so both read identical content.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseCatalogCsv, UserError } from "../core";
import { catalogToCsv } from "../core/catalog/csv";
import { loadSnapshot } from "../core/catalog/snapshot";
import { CLOUDS } from "../clouds/registry";

const HEADER = "provider,region,instanceType,vcpu,memoryGiB,gpus,gpuType,arch,onDemandHourlyUsd,spotHourlyUsd";

/** What a parse gives: the catalog as JSON, or the error's message and problems. */
function outcome(text: string): string {
  try {
    return JSON.stringify(parseCatalogCsv(text, "prices.csv", "2026-07-01", CLOUDS));
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return `error: ${err.message}`;
  }
}

/** A cell: mostly values the checks accept (some only once trimmed), now and then one they reject. */
const cell = (valid: string[], invalid: string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 15 }, ...(invalid.length > 0 ? [{ arbitrary: fc.constantFrom(...invalid), weight: 1 }] : []));
const rowArb = fc.record({
  provider: cell(["aws", "gcp", "azure", " aws"], ["oracle", ""]),
  region: cell(["us-east-1", "eu-west-1", "us-east-1 ", "westeurope"], [""]),
  instanceType: cell(["m5.large", "c5.xlarge", "t3.micro", "e2-micro", "a/b", "\u00a0m5.large"], [""]),
  vcpu: cell(["2", "0.25", "4", "+2", "1e2", "2.", ".5", "1234567890123456", "007", " 2"], ["0", "-1", "x", "100001", "1.2.3"]),
  memoryGiB: cell(["8", "0.5", "16", " 8", "3.999999999999999", "0.1"], ["0", "1000001"]),
  gpus: cell(["0", "1", "0.125", "0.3"], ["-1", ""]),
  gpuType: cell(["", "L4", "a100"], []),
  arch: cell(["x86_64", "arm64"], ["ARM64", ""]),
  onDemand: cell(["0.1", "0.0416", "10000", "0.0000001", "1E-3", "0.30000000000000004", "2.1390000000000002"], ["0", "10001"]),
  spot: cell(["", "0.03", "0.012345678901234", "0.1 "], ["-0.1"]),
  burstable: cell(["true", "false", "TRUE", " false"], ["yes"]),
  cells: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, -1, 1),
});

const fileArb = fc.record({
  burstableColumn: fc.boolean(),
  rows: fc.array(rowArb, { minLength: 1, maxLength: 5 }),
  blankAfter: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  crlf: fc.boolean(),
});

describe("catalog file: the fast scan and the record path agree", () => {
  it("on random rows, valid and broken: same offers, or same problems with the same lines", () => {
    fc.assert(
      fc.property(fileArb, (f) => {
        const lines = [f.burstableColumn ? `${HEADER},burstable` : HEADER];
        f.rows.forEach((r, i) => {
          const cells = [r.provider, r.region, r.instanceType, r.vcpu, r.memoryGiB, r.gpus, r.gpuType, r.arch, r.onDemand, r.spot, ...(f.burstableColumn ? [r.burstable] : [])];
          if (r.cells < 0) cells.pop();
          if (r.cells > 0) cells.push("extra");
          lines.push(cells.join(","));
          if (f.blankAfter[i]) lines.push("");
        });
        const text = lines.join(f.crlf ? "\r\n" : "\n");
        expect(outcome(`${text}\n`)).toBe(outcome(`${text}\r`));
      }),
      { numRuns: 400, seed: 20261128 },
    );
  });

  it("on the whole snapshot exported: the same 86,000-odd offers either way", () => {
    const text = catalogToCsv(loadSnapshot().offers);
    const fast = outcome(text);
    expect(fast.startsWith("error")).toBe(false);
    expect(fast).toBe(outcome(`${text.trimEnd()}\r`));
    expect(JSON.parse(fast).offers).toHaveLength(loadSnapshot().offers.length);
  });

  it("keeps reporting rows out of order and listed twice, with both lines", () => {
    const rows = ["aws,us-east-1,m5.large,2,8,0,,x86_64,0.096,", "aws,eu-west-1,m5.large,2,8,0,,x86_64,0.107,", "aws,us-east-1,m5.large,2,8,0,,x86_64,0.097,"];
    expect(outcome(`${HEADER}\n${rows.join("\n")}\n`)).toBe("error: invalid catalog: prices.csv:4: aws/us-east-1/m5.large is listed twice (first on line 2)");
    // Out of order but distinct: read, and sorted.
    const catalog = parseCatalogCsv(`${HEADER}\n${rows.slice(0, 2).join("\n")}\n`, "prices.csv", "2026-07-01", CLOUDS);
    expect(catalog.offers.map((o) => o.region)).toEqual(["eu-west-1", "us-east-1"]);
  });
});
