/**
 * Turns zod issues into messages a user can act on: the field path, what was expected, what was
 * found, and for unknown names the closest valid one. Pure: the YAML loader adds file and line.
 */
import type { z } from "zod";
import { didYouMean } from "../util/errors";

export type IssuePath = readonly PropertyKey[];

export interface SpecProblem {
  path: IssuePath;
  message: string;
}

/** Longest value (or key) a message repeats whole: a 200,000-character name must not become 200 KB of stderr. */
export const MAX_SHOWN_CHARACTERS = 80;

/** A string as messages show it: quoted, and past `max` (80) characters its first `max` and its length. */
export function quoted(value: string, max = MAX_SHOWN_CHARACTERS): string {
  return value.length > max ? `${JSON.stringify(value.slice(0, max))}... (${value.length} characters)` : JSON.stringify(value);
}

/** A key inside a field path: as written, unless too long to repeat. */
function shownKey(key: string): string {
  return key.length > MAX_SHOWN_CHARACTERS ? `${key.slice(0, MAX_SHOWN_CHARACTERS)}...(${key.length} characters)` : key;
}

export function formatPath(path: IssuePath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? shownKey(String(segment)) : `.${shownKey(String(segment))}`;
  }
  return out === "" ? "(top level)" : out;
}

/** One problem per zod issue (one per unknown key), in document order of paths. */
export function describeIssues(schema: z.ZodType, input: unknown, issues: readonly z.core.$ZodIssue[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  // A required field that a misspelt key stands for ("memory" for memoryGiB) is one problem, not two.
  const suggested = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const allowed = allowedKeys(schema, issue.path);
    for (const key of issue.keys) {
      const best = closestKey(key, allowed);
      if (best !== undefined) suggested.add(formatPath([...issue.path, best]));
    }
  }
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeys(schema, issue.path);
      for (const key of issue.keys) {
        const best = closestKey(key, allowed);
        const hint = best === undefined ? "" : ` (did you mean "${best}"?)`;
        problems.push({
          path: [...issue.path, key],
          message: `unknown field${hint}; expected one of: ${allowed.join(", ")}`,
        });
      }
      continue;
    }
    if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined && suggested.has(formatPath(issue.path))) continue;
    if (issue.code === "invalid_union" || issue.code === "invalid_key" || issue.code === "invalid_element") {
      const nested = (issue as { issues?: z.core.$ZodIssue[] }).issues ?? [];
      if (issue.code === "invalid_key") {
        const key = issue.path[issue.path.length - 1];
        problems.push({ path: issue.path, message: describeInvalidKey(String(key), nested) });
        continue;
      }
    }
    problems.push({ path: issue.path, message: describeIssue(issue, valueAt(input, issue.path)) });
  }
  return problems;
}

function describeInvalidKey(key: string, nested: readonly z.core.$ZodIssue[]): string {
  const values = nested.flatMap((n) => (n.code === "invalid_value" ? n.values.map(String) : []));
  if (values.length > 0) return `unknown name ${quoted(key)}${didYouMean(key, values)}; expected one of: ${values.join(", ")}`;
  const custom = nested.find((n) => n.code === "invalid_format");
  return custom ? `${quoted(key)}: ${custom.message}` : `invalid key ${quoted(key)}`;
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const got = value === undefined ? "" : `, got ${show(value)}`;
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return `is required (expected ${article(issue.expected)})`;
      return `expected ${article(issue.expected)}${got}`;
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "array") return `expected at least ${min} item${min === 1 ? "" : "s"}${got}`;
      if (issue.origin === "string") return `must not be empty`;
      return `expected a number ${issue.inclusive ? ">=" : ">"} ${min}${got}`;
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "array") return `expected at most ${max} items`;
      return `expected a number ${issue.inclusive ? "<=" : "<"} ${max}${got}`;
    }
    case "invalid_value": {
      const values = issue.values.map(String);
      return `expected one of ${values.join(", ")}${got}${typeof value === "string" ? didYouMean(value, values) : ""}`;
    }
    case "invalid_format":
      return `${issue.message}${got}`;
    default:
      return `${issue.message}${got}`;
  }
}

function article(expected: string): string {
  const names: Record<string, string> = {
    int: "an integer",
    number: "a number",
    string: "a string",
    boolean: "true or false",
    object: "a mapping of fields",
    record: "a mapping",
    array: "a list",
  };
  return names[expected] ?? expected;
}

function show(value: unknown): string {
  if (typeof value === "string") return quoted(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

function valueAt(input: unknown, path: IssuePath): unknown {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment as string];
  }
  return current;
}

/** Field names the schema accepts at `path`, for "unknown field" messages. */
export function allowedKeys(schema: z.ZodType, path: IssuePath): string[] {
  let node: unknown = schema;
  for (const segment of [...path, null]) {
    node = unwrap(node);
    const def = defOf(node);
    if (segment === null) {
      if (def?.shape) return Object.keys(def.shape);
      // A record with enumerated keys (providers): its keys are the enum's values.
      const keys = unwrap(def?.keyType);
      const entries = defOf(keys)?.entries;
      return entries ? Object.values(entries).map(String) : [];
    }
    if (def?.shape) node = def.shape[String(segment)];
    else if (def?.valueType) node = def.valueType;
    else if (def?.element) node = def.element;
    else return [];
  }
  return [];
}

interface LooseDef {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  valueType?: unknown;
  keyType?: unknown;
  entries?: Record<string, unknown>;
  element?: unknown;
}

function defOf(node: unknown): LooseDef | undefined {
  return (node as { _zod?: { def?: LooseDef } } | undefined)?._zod?.def;
}

function unwrap(node: unknown): unknown {
  let current = node;
  for (let def = defOf(current); def?.innerType; def = defOf(current)) current = def.innerType;
  return current;
}

/**
 * The allowed key an unknown one most likely means: the closest by edit distance, else the one it
 * is the start of ("memory" for memoryGiB, "gpu" for gpus, "region" for regions). Undefined if none.
 */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const near = /^ \(did you mean "(.*)"\?\)$/.exec(didYouMean(key, allowed))?.[1];
  if (near !== undefined) return near;
  const lower = key.toLowerCase();
  if (lower.length < 3) return undefined;
  const prefixed = allowed.filter((a) => a.toLowerCase().startsWith(lower) || lower.startsWith(a.toLowerCase()));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
