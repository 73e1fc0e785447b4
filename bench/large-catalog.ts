/**
 * The large price file of the `--catalog` benchmark (issue 13: "`--catalog` with the 85k-row
 * export of the snapshot <= snapshot path + 0.5 s"): what `multicloud prices export --offline`
 * writes over every provider and region (the embedded snapshot, ~86,000 rows), generated at bench
 * time so that no large file is committed. Should the export ever hold fewer than MIN_ROWS rows,
 * synthetic rows make up the rest: copies of real rows in extra regions (`<region>-synthetic-<k>`)
 * at twice the price, valid rows that the file path must read and the optimizer must weigh.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const MIN_ROWS = 85_000;

/** Writes the file into `dir`; returns its path and its number of rows. */
export function writeLargeCatalog(dir: string, root: string): { file: string; rows: number } {
  const cli = path.join(root, "bin", "multicloud.js");
  const exported = execFileSync(process.execPath, [cli, "prices", "export", "--offline"], { cwd: root, encoding: "utf8", maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "ignore"] });
  const lines = exported.trimEnd().split("\n");
  const [header, ...rows] = lines;
  if (header === undefined || rows.length === 0) throw new Error("bench: `multicloud prices export --offline` wrote no rows");
  const synthetic: string[] = [];
  const plain = rows.filter((row) => !row.includes('"')); // split at commas below
  if (rows.length < MIN_ROWS && plain.length === 0) throw new Error("bench: no exported row to copy into synthetic rows");
  for (let k = 1; rows.length + synthetic.length < MIN_ROWS; k++) {
    for (const row of plain) {
      if (rows.length + synthetic.length >= MIN_ROWS) break;
      synthetic.push(syntheticRow(row, k));
    }
  }
  const file = path.join(dir, "large-catalog.csv");
  fs.writeFileSync(file, `${[header, ...rows, ...synthetic].join("\n")}\n`);
  return { file, rows: rows.length + synthetic.length };
}

/** A real row moved to region `<region>-synthetic-<k>` at twice its prices. */
function syntheticRow(row: string, k: number): string {
  const cells = row.split(",");
  cells[1] = `${cells[1]}-synthetic-${k}`;
  for (const i of [8, 9]) if (cells[i]) cells[i] = String(Number(cells[i]) * 2);
  return cells.join(",");
}
