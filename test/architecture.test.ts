/**
 * The package's structure, checked over its import graph (read with TypeScript's own parser, so
 * `import type`, re-exports, `import()` and `require()` are told apart exactly):
 *
 *   provider/ (CLI, plugin)  ->  components/  ->  clouds/ (one folder per cloud + the registry)
 *                                                   ->  kit/ (emitter kit)  ->  core/ (planning)
 *
 * Arrows only run down: the core never names a cloud or Pulumi, so a fourth cloud is one folder
 * plus one registry line (test/fourth-cloud.test.ts); no import cycle exists anywhere; and what a
 * plan loads (the registry and everything it imports statically) loads no Pulumi and no cloud SDK.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");
const SOURCE_DIRS = ["core", "kit", "clouds", "components", "provider", "policy", "scripts", "bench"];

interface Edge {
  from: string;
  /** A file of this repository (relative path) or a package name. */
  to: string;
  kind: "static" | "type" | "dynamic";
}

function sourceFiles(): string[] {
  const out: string[] = ["index.ts"];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (rel.endsWith(".ts") && !rel.endsWith(".d.ts")) out.push(rel);
    }
  };
  SOURCE_DIRS.forEach(walk);
  return out.sort();
}

/** Resolves a specifier to a repository file (`core/x.ts`, `core/x/index.ts`, a JSON file) or a package name. */
function resolve(from: string, specifier: string): string {
  if (!specifier.startsWith(".")) return specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    if (fs.existsSync(path.join(ROOT, candidate)) && fs.statSync(path.join(ROOT, candidate)).isFile()) return candidate;
  }
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

function edgesOf(file: string): Edge[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.ES2022, true);
  const edges: Edge[] = [];
  const add = (specifier: ts.Expression | undefined, kind: Edge["kind"]) => {
    if (specifier && ts.isStringLiteral(specifier)) edges.push({ from: file, to: resolve(file, specifier.text), kind });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const typeOnly = node.importClause?.isTypeOnly === true ||
        (node.importClause !== undefined && !node.importClause.name && node.importClause.namedBindings !== undefined &&
          ts.isNamedImports(node.importClause.namedBindings) && node.importClause.namedBindings.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, typeOnly ? "type" : "static");
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly ? "type" : "static");
    } else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
      if (isImport || isRequire) add(node.arguments[0], "dynamic");
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      edges.push({ from: file, to: resolve(file, node.argument.literal.text), kind: "type" });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const FILES = sourceFiles();
const EDGES = FILES.flatMap(edgesOf);
const layerOf = (file: string) => file.split("/")[0]!;

/** Forbidden targets per layer: what would be an arrow running back up. */
// policy/ (the policy pack) is a top layer like provider/: it reads the clouds' region and tag
// rules and the core's residency tables, and nothing imports it.
const FORBIDDEN: Record<string, RegExp> = {
  core: /^(clouds|kit|components|provider|policy|scripts|bench)\/|^@pulumi\//,
  kit: /^(clouds|components|provider|policy|scripts|bench)\//,
  clouds: /^(components|provider|policy|scripts|bench)\//,
  components: /^(provider|policy|scripts|bench)\//,
  provider: /^(policy)\//,
  policy: /^(kit|components|provider|scripts|bench)\//,
  scripts: /^(policy)\//,
  bench: /^(policy)\//,
};

describe("architecture", () => {
  it("reads a graph of the whole package", () => {
    expect(FILES.filter((f) => f.startsWith("core/")).length).toBeGreaterThan(50);
    expect(EDGES.length).toBeGreaterThan(300);
  });

  it("has no arrow running back up: core imports no cloud, kit, component, provider or Pulumi; kit no cloud; clouds no component; nothing the policy pack", () => {
    const violations = EDGES.filter((e) => FORBIDDEN[layerOf(e.from)]?.test(e.to)).map((e) => `${e.from} -> ${e.to} (${e.kind})`);
    expect(violations).toEqual([]);
  });

  it("has no import cycle, type-only imports included", () => {
    const next = new Map<string, string[]>();
    for (const e of EDGES) if (e.kind !== "dynamic" && FILES.includes(e.to)) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, "open");
      stack.push(file);
      for (const to of next.get(file) ?? []) {
        if (state.get(to) === "open") cycles.push([...stack.slice(stack.indexOf(to)), to].join(" -> "));
        else if (!state.has(to)) visit(to);
      }
      stack.pop();
      state.set(file, "done");
    };
    FILES.forEach((f) => state.has(f) || visit(f));
    expect(cycles).toEqual([]);
  });

  it("loads no Pulumi and no cloud SDK for a plan: the registry's static closure holds neither", () => {
    const closure = new Set<string>();
    const packages = new Set<string>();
    const walk = (file: string): void => {
      if (closure.has(file)) return;
      closure.add(file);
      for (const e of EDGES.filter((x) => x.from === file && x.kind === "static")) {
        if (FILES.includes(e.to)) walk(e.to);
        else if (!e.to.endsWith(".json")) packages.add(e.to);
      }
    };
    for (const entry of ["clouds/registry.ts", "provider/cli/main.ts", "provider/cli/plan.ts"]) walk(entry);
    const heavy = [...packages].filter((p) => /^@pulumi\/|^@aws-sdk\/|^@azure\/|^@google-cloud\/|^google-auth-library$|^highs$/.test(p) && p !== "highs");
    expect(heavy).toEqual([]);
    // The emitters are reached only through the adapters' loaders.
    expect([...closure].filter((f) => /-emitter\.ts$/.test(f))).toEqual([]);
  });

  it("lists the clouds in one place: only the registry imports a cloud's folder", () => {
    const importers = EDGES.filter((e) => /^clouds\/[a-z0-9]+\/index\.ts$/.test(e.to)).map((e) => e.from);
    expect([...new Set(importers)]).toEqual(["clouds/registry.ts"]);
  });
});
