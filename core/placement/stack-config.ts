/**
 * Reading and rewriting a Pulumi stack config file (`Pulumi.<stack>.yaml`) around the placement
 * record, with a YAML library that keeps comments, key order and every other key as they are:
 * the file is a reviewed artefact, and a rewrite must show up in review as the placement lines only.
 *
 * An entry whose spec hash and plan are unchanged is not rewritten, so re-pinning the same plan
 * leaves the file byte-identical.
 */
import * as fs from "node:fs";
import { Document, isMap, isScalar, parseDocument } from "yaml";
import { UserError } from "../util/errors";
import { yamlToJs } from "../spec/load";
import type { CloudSet } from "../clouds/cloud-set";
import { writeFileAtomic } from "../util/files";
import { planHash, type Plan } from "../plan/plan";
import type { WorkloadSpec } from "../spec/schema";
import { PLACEMENTS_CONFIG_KEY, readPlacementRecord, type PinnedPlacement } from "./record";

export interface StackConfig {
  file: string;
  text: string;
  doc: Document;
  placements: Record<string, PinnedPlacement>;
  /** Entries to write, by workload (set by `pinPlacement`). */
  pending: Map<string, PinnedPlacement>;
}

export function readStackConfig(file: string, clouds: CloudSet): StackConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      code === "ENOENT"
        ? `stack config file not found: ${file} (it is the Pulumi.<stack>.yaml beside Pulumi.yaml; \`pulumi stack init\` creates the stack, \`pulumi config set\` the file)`
        : `cannot read stack config file ${file}: ${(err as Error).message}`,
    );
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new UserError(`${file}: not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  }
  const root: unknown = doc.contents;
  if (root !== null && !isMap(root)) throw new UserError(`${file}: expected a mapping at the top level (with a \`config:\` key)`);
  const config: unknown = doc.get("config", true);
  if (config !== undefined && config !== null && !isMap(config) && !(isScalar(config) && config.value === null)) {
    throw new UserError(`${file}: \`config\` must be a mapping of config keys`);
  }
  // Converted outside the try below: an alias bomb is a UserError that already names the file.
  const raw = rawPlacements(doc, file);
  let placements: Record<string, PinnedPlacement>;
  try {
    placements = readPlacementRecord(raw, clouds);
  } catch (err) {
    throw err instanceof UserError ? new UserError(`${file}: ${err.message}`, err.problems) : err;
  }
  return { file, text, doc, placements, pending: new Map() };
}

function rawPlacements(doc: Document, file: string): Record<string, unknown> | undefined {
  // yamlToJs: an alias bomb is a UserError naming the file, not an internal error.
  const config = (yamlToJs(doc, file, "stack config") as { config?: Record<string, unknown> } | null)?.config;
  return config?.[PLACEMENTS_CONFIG_KEY] as Record<string, unknown> | undefined;
}

/**
 * Pins `plan` for `spec` (written by `writeStackConfig`). Returns false when the same spec and the
 * same decisions are already pinned: re-pinning leaves the file byte-identical.
 */
export function pinPlacement(config: StackConfig, spec: WorkloadSpec, plan: Plan, moveInProgress?: PinnedPlacement["moveInProgress"]): boolean {
  const current = config.placements[spec.name];
  const sameMove = current?.moveInProgress?.optimumMonthlyUsd === moveInProgress?.optimumMonthlyUsd;
  if (current && current.specHash === plan.specHash && planHash(current.plan) === planHash(plan) && sameMove) return false;
  const entry: PinnedPlacement = { specHash: plan.specHash, spec, plan, ...(moveInProgress ? { moveInProgress } : {}) };
  config.pending.set(spec.name, entry);
  config.placements = { ...config.placements, [spec.name]: entry };
  return true;
}

/**
 * Writes pending entries. Only the `multicloud:placements` block changes: it is spliced into the
 * original text by source position, so every other byte (comments, spacing, quoting, order) stays.
 * Entries not being replaced keep their file order and content.
 */
export function writeStackConfig(config: StackConfig): void {
  if (config.pending.size === 0) return;
  const value: Record<string, unknown> = { ...(rawPlacements(config.doc, config.file) ?? {}) };
  for (const [name, entry] of config.pending) value[name] = JSON.parse(JSON.stringify(entry));
  const block = new Document({ [PLACEMENTS_CONFIG_KEY]: value }).toString({ lineWidth: 0, indent: 2 });
  // A CRLF file (Windows editors, core.autocrlf) stays CRLF: splice into its LF form, then convert back.
  if (config.text.includes("\r\n")) {
    const lf = config.text.replace(/\r\n/g, "\n");
    config.text = splicePlacements(lf, parseDocument(lf, { prettyErrors: false, uniqueKeys: true }), block).replace(/\n/g, "\r\n");
  } else {
    config.text = splicePlacements(config.text, config.doc, block);
  }
  writeFileAtomic(config.file, config.text);
  config.doc = parseDocument(config.text);
  config.pending.clear();
}

function splicePlacements(text: string, doc: Document, block: string): string {
  const indentBlock = (indent: string) => block.replace(/\n(?=.)/g, `\n${indent}`);
  const config: unknown = doc.get("config", true);
  if (isMap(config) && config.flow && config.items.length > 0) {
    // A flow map (`config: { a: 1 }`) has no block to splice into: set the key in the document and
    // re-print it. Every key and comment is kept; only that mapping's layout changes.
    const value = (parseDocument(block).toJS() as Record<string, unknown>)[PLACEMENTS_CONFIG_KEY];
    const copy = parseDocument(text);
    copy.setIn(["config", PLACEMENTS_CONFIG_KEY], copy.createNode(value));
    return copy.toString({ lineWidth: 0 });
  }
  if (!isMap(config) || config.items.length === 0) {
    // No block-style config to splice into: add a `config:` block (replacing an empty one).
    const withoutEmpty = isScalar(config) || isMap(config) ? removeConfigPair(text, doc) : text;
    return `${withoutEmpty}${withoutEmpty === "" || withoutEmpty.endsWith("\n") ? "" : "\n"}config:\n  ${indentBlock("  ")}`;
  }
  const first = config.items[0]!.key as { range?: [number, number, number] };
  const lineStart = text.lastIndexOf("\n", first.range![0] - 1) + 1;
  const indent = text.slice(lineStart, first.range![0]);
  const existing = config.items.find((p) => isScalar(p.key) && p.key.value === PLACEMENTS_CONFIG_KEY);
  if (existing) {
    const start = (existing.key as { range: [number, number, number] }).range[0];
    const valueRange = (existing.value as { range?: [number, number, number] } | null)?.range;
    const end = valueRange ? valueRange[1] : (existing.key as { range: [number, number, number] }).range[2];
    const replacement = indentBlock(indent);
    return text.slice(0, start) + (text.charAt(end - 1) === "\n" ? replacement : replacement.replace(/\n$/, "")) + text.slice(end);
  }
  const end = config.range![1];
  const prefix = text.slice(0, end);
  return `${prefix}${prefix.endsWith("\n") ? "" : "\n"}${indent}${indentBlock(indent)}${text.slice(end)}`;
}

/** Text without a top-level `config:` pair whose value is empty (`config:` or `config: {}`). */
function removeConfigPair(text: string, doc: Document): string {
  const root = doc.contents;
  if (!isMap(root)) return text;
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === "config");
  const key = pair?.key as { range?: [number, number, number] } | undefined;
  if (!pair || !key?.range) return text;
  const valueEnd = (pair.value as { range?: [number, number, number] } | null)?.range?.[2] ?? key.range[2];
  const lineEnd = text.indexOf("\n", valueEnd - 1);
  return text.slice(0, key.range[0]) + (lineEnd === -1 ? "" : text.slice(lineEnd + 1));
}
