/**
 * Reading and validating workload specs. Validation is collected, not thrown one at a time: every
 * problem in a spec is reported at once, each prefixed with its field path (and, for files, its
 * line), then thrown as one UserError.
 */
import * as fs from "node:fs";
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq } from "yaml";
import { workloadSpecSchema, type WorkloadSpec } from "./schema";
import { describeIssues, formatPath, type IssuePath, type SpecProblem } from "./issues";
import { checkSpecAgainstCatalog } from "./semantic";
import type { Catalog } from "../catalog/offer";
import type { CloudSet } from "../clouds/cloud-set";
import { UserError } from "../util/errors";
import { FROM_OUTPUT } from "./traffic";

/** Maps a field path to "file:line" for messages; absent for in-memory specs. */
export type Locator = (path: IssuePath) => string | undefined;

/**
 * Validates a spec object (component args or a parsed file) against the schema and the catalog.
 * Throws a UserError naming every problem; returns the normalised spec.
 */
export function validateSpec(input: unknown, catalog: Catalog, clouds: CloudSet, locate?: Locator): WorkloadSpec {
  const schema = workloadSpecSchema(clouds);
  const parsed = schema.safeParse(input);
  const spec = parsed.success ? (parsed.data as WorkloadSpec) : undefined;
  const problems: SpecProblem[] = spec
    ? checkSpecAgainstCatalog(spec, catalog, clouds)
    : describeIssues(schema, input, parsed.error!.issues);
  if (problems.length > 0 || !spec) throw specError(problems, locate);
  return spec;
}

/** One error naming every problem with its field path (and file:line), e.g. "invalid workload spec: ...". */
export function specError(problems: readonly SpecProblem[], locate?: Locator, what = "workload spec"): UserError {
  return problemsError(
    what,
    problems.map((p) => {
      const where = locate?.(p.path);
      return `${where ? `${where}: ` : ""}${formatPath(p.path)}: ${p.message}`;
    }),
  );
}

/** "invalid <what>: <line>", or "invalid <what> (N problems):" with one line each. */
export function problemsError(what: string, lines: readonly string[]): UserError {
  const head = lines.length === 1 ? `invalid ${what}: ${lines[0]}` : `invalid ${what} (${lines.length} problems):\n  ${lines.join("\n  ")}`;
  return new UserError(head, lines);
}

/** Reads a YAML or JSON spec file: a missing file, a syntax error or an invalid field is a UserError. */
export function loadSpecFile(file: string, catalog: Catalog, clouds: CloudSet): WorkloadSpec {
  const { data, locate } = readYamlFile(file, "spec");
  return validateSpecData(data, file, catalog, clouds, locate);
}

/** The name messages give a spec read from standard input (`multicloud plan -`). */
export const STDIN_NAME = "<stdin>";

/** A YAML or JSON spec given as text (standard input); messages name it `name` ("<stdin>"). */
export function loadSpecText(text: string, catalog: Catalog, clouds: CloudSet, name = STDIN_NAME): WorkloadSpec {
  if (text.trim() === "") throw new UserError(`${name}: the spec is empty (pipe a YAML or JSON workload spec into \`multicloud plan -\`)`);
  const { data, locate } = readYamlText(text, name, "spec");
  return validateSpecData(data, name, catalog, clouds, locate);
}

function validateSpecData(data: unknown, name: string, catalog: Catalog, clouds: CloudSet, locate: Locator): WorkloadSpec {
  if (looksLikeBackupSpec(data)) {
    throw new UserError(`${name}: this is a backup spec (it has source and sizeGiB, no demand): use \`multicloud backup plan ${name === STDIN_NAME ? "FILE" : name}\``);
  }
  rejectOutputPlaceholders(data, locate, "workload spec");
  return validateSpec(data, catalog, clouds, locate);
}

/**
 * FROM_OUTPUT ("(output)") is what the components put where a Pulumi program gave an Output (a tag
 * value, a DNS zone id): the core then checks only that the value is there. In a spec file it can
 * only be the user's own text, which no resource would ever replace: refused, naming each field.
 */
export function rejectOutputPlaceholders(data: unknown, locate: Locator, what: string): void {
  const problems: SpecProblem[] = [];
  const walk = (value: unknown, path: IssuePath): void => {
    if (value === FROM_OUTPUT) {
      problems.push({ path, message: `"${FROM_OUTPUT}" stands for a value another Pulumi resource computes, which a spec file cannot give: write the value itself` });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    }
  };
  walk(data, []);
  if (problems.length > 0) throw specError(problems, locate, what);
}

/** A cross-cloud backup spec (examples/backup): `source` and `sizeGiB`, and no workload `demand`. */
export function looksLikeBackupSpec(data: unknown): boolean {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return false;
  const keys = data as Record<string, unknown>;
  return "source" in keys && "sizeGiB" in keys && !("demand" in keys);
}

/** Parses a YAML (or JSON) file, with a locator from field paths to `file:line`. */
export function readYamlFile(file: string, what: string): { data: unknown; locate: Locator } {
  let text: string;
  try {
    const bytes = fs.statSync(file).size;
    if (bytes > YAML_MAX_BYTES) throw tooLarge(file, what, bytes);
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === "ENOENT" ? `${what} file not found: ${file}` : `cannot read ${what} file ${file}: ${(err as Error).message}`);
  }
  return readYamlText(text, file, what);
}

/** Parses YAML (or JSON) text read from `file` (a path, or "<stdin>"), with a locator to `file:line`. */
export function readYamlText(text: string, file: string, what: string): { data: unknown; locate: Locator } {
  if (text.length > YAML_MAX_BYTES) throw tooLarge(file, what, Buffer.byteLength(text));
  // CR-only line endings (old Mac editors) would otherwise read as one empty-looking line.
  if (text.includes("\r") && !text.includes("\n")) text = text.replace(/\r/g, "\n");
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      // The parser recurses per level: thousands of nested [ or { exhaust its stack.
      if (/call stack/i.test(e.message)) return `${file}:${pos.line}:${pos.col}: the ${what} file is nested too deeply to read (thousands of levels); a spec needs a handful`;
      return `${file}:${pos.line}:${pos.col}: YAML syntax error: ${e.message.split("\n")[0]}`;
    });
    throw new UserError(lines.join("\n"), lines);
  }
  const lineOf = (offset: number) => `${file}:${lineCounter.linePos(offset).line}`;
  const locate: Locator = (path) => {
    // The line of the field's key when it exists, else of the nearest enclosing field.
    for (let depth = path.length; depth > 0; depth--) {
      const parent = doc.getIn(path.slice(0, depth - 1) as unknown[], true);
      const key = path[depth - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
        if (pair && isNode(pair.key) && pair.key.range) return lineOf(pair.key.range[0]);
      } else if (isSeq(parent) && typeof key === "number") {
        const item = parent.items[key];
        if (isNode(item) && item.range) return lineOf(item.range[0]);
      }
    }
    return file;
  };
  return { data: yamlToJs(doc, file, what), locate };
}

/**
 * Largest spec or stack config read: far above any real one (a spec is a few KB; a stack config
 * pinning hundreds of workloads, a few MB), and parsed in a moment.
 */
export const YAML_MAX_BYTES = 16 * 1024 * 1024;

function tooLarge(file: string, what: string, bytes: number): UserError {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return new UserError(`${file}: the ${what} file is ${mib(bytes)}, more than the ${mib(YAML_MAX_BYTES)} a ${what} file may be (a resource-exhaustion guard); is it the right file?`);
}

/**
 * Limits on what a YAML file may expand to: `maxAliasCount` stops an alias bomb (a few lines that
 * expand to billions of nodes). No real spec or stack config uses more than a handful of aliases.
 */
export const YAML_MAX_ALIAS_COUNT = 100;

/** `doc.toJS()` with the `yaml` package's resource limits reported as a UserError naming the file. */
export function yamlToJs(doc: { toJS(options?: { maxAliasCount?: number }): unknown }, file: string, what: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/alias/i.test(message)) {
      throw new UserError(`${file}: the ${what} file expands too many YAML aliases (more than ${YAML_MAX_ALIAS_COUNT} alias uses, a resource-exhaustion guard); write the values out instead of aliasing them`);
    }
    if (err instanceof RangeError) throw new UserError(`${file}: the ${what} file is nested too deeply to read (${message})`);
    throw new UserError(`${file}: cannot read the ${what} file (${message})`);
  }
}
