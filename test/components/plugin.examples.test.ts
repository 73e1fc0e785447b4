/**
 * The plugin's example programs against what the plugin serves: examples/yaml's MultiCloudWorkload
 * uses only properties the generated schema (provider/schema.json) declares, each with a value of
 * the declared type (enum values included), and only outputs it declares; examples/python compiles.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { SchemaProperty } from "../../provider/engine-args";

const ROOT = path.resolve(__dirname, "../..");
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "provider/schema.json"), "utf8")) as {
  resources: Record<string, { inputProperties: Record<string, SchemaProperty>; requiredInputs?: string[]; properties: Record<string, SchemaProperty> }>;
  types: Record<string, { type: string; properties?: Record<string, SchemaProperty>; required?: string[]; enum?: { value: unknown }[] }>;
};

const EXPRESSION = /^\$\{[^}]+\}$/;

/** Every mismatch between a YAML value and its schema property, as `path: problem`. */
function mismatches(value: unknown, property: SchemaProperty, at: string): string[] {
  // A Pulumi YAML interpolation (`${config}`, `${resource.output}`) is typed by what it names.
  if (typeof value === "string" && EXPRESSION.test(value)) return [];
  if (property.$ref) {
    if (!property.$ref.startsWith("#/types/")) return [`${at}: references ${property.$ref}, which a YAML literal cannot give`];
    const type = schema.types[property.$ref.slice("#/types/".length)];
    if (!type) return [`${at}: the schema has no type ${property.$ref}`];
    if (type.enum) return type.enum.some((e) => e.value === value) ? [] : [`${at}: ${JSON.stringify(value)} is not one of ${type.enum.map((e) => e.value).join(", ")}`];
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at}: expected an object`];
    const fields = type.properties ?? {};
    const missing = (type.required ?? []).filter((k) => !(k in value)).map((k) => `${at}.${k}: required`);
    return [
      ...missing,
      ...Object.entries(value).flatMap(([k, v]) => (fields[k] ? mismatches(v, fields[k]!, `${at}.${k}`) : [`${at}.${k}: not a property of ${property.$ref}`])),
    ];
  }
  switch (property.type) {
    case "string":
      return typeof value === "string" ? [] : [`${at}: expected a string`];
    case "number":
    case "integer":
      return typeof value === "number" ? [] : [`${at}: expected a number`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${at}: expected a boolean`];
    case "array":
      return Array.isArray(value) ? value.flatMap((v, i) => mismatches(v, property.items!, `${at}[${i}]`)) : [`${at}: expected a list`];
    case "object":
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at}: expected a map`];
      return property.additionalProperties ? Object.entries(value).flatMap(([k, v]) => mismatches(v, property.additionalProperties!, `${at}.${k}`)) : [];
    default:
      return [`${at}: property of unknown type ${JSON.stringify(property)}`];
  }
}

describe("examples/yaml against the generated schema", () => {
  const program = parse(fs.readFileSync(path.join(ROOT, "examples/yaml/Pulumi.yaml"), "utf8")) as {
    packages: Record<string, string>;
    resources: Record<string, { type: string; properties: Record<string, unknown> }>;
    outputs: Record<string, string>;
  };

  it("loads the plugin from this repository", () => {
    expect(path.resolve(ROOT, "examples/yaml", program.packages.multicloud!)).toBe(ROOT);
  });

  it("sets only declared properties, each with a value of its declared type, and every required one", () => {
    const resources = Object.values(program.resources);
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) {
      const declared = schema.resources[resource.type];
      expect(declared, resource.type).toBeDefined();
      const problems = [
        ...(declared!.requiredInputs ?? []).filter((k) => !(k in resource.properties)).map((k) => `${k}: required`),
        ...Object.entries(resource.properties).flatMap(([k, v]) => (declared!.inputProperties[k] ? mismatches(v, declared!.inputProperties[k]!, k) : [`${k}: not an input of ${resource.type}`])),
      ];
      expect(problems).toEqual([]);
    }
  });

  it("exports only outputs the component declares", () => {
    for (const expression of Object.values(program.outputs)) {
      const [, resource, output] = /^\$\{(\w+)\.(\w+)\}$/.exec(expression) ?? [];
      const declared = schema.resources[program.resources[resource!]!.type]!;
      expect(Object.keys(declared.properties), expression).toContain(output);
    }
  });

  it("catches a misspelt property and a value of the wrong type (the check can fail)", () => {
    const workload = schema.resources["multicloud:index:MultiCloudWorkload"]!.inputProperties;
    expect(mismatches({ replicas: 4, cpu: 2, memoryGib: 8 }, workload.demand!, "demand")).toEqual([
      "demand.memoryGiB: required",
      "demand.memoryGib: not a property of #/types/multicloud:index:WorkloadDemandArgs",
    ]);
    expect(mismatches({ arch: "amd64" }, workload.instance!, "instance")).toEqual(['instance.arch: "amd64" is not one of x86_64, arm64, any']);
    expect(mismatches("443", { type: "number" }, "traffic.port")).toEqual(["traffic.port: expected a number"]);
  });
});

/** Pulumi's Python name of a schema property (pkg/codegen/python PyName: camelCase -> snake_case, acronyms kept whole). */
function pyName(name: string): string {
  const words: string[] = [];
  let current = "";
  let state: "first" | "upper" | "acronym" | "lower" = "first";
  for (const char of name) {
    const upper = char >= "A" && char <= "Z";
    if (state === "first") {
      current = char.toLowerCase();
      state = upper ? "upper" : "lower";
    } else if (state === "upper") {
      current += char.toLowerCase();
      state = upper ? "acronym" : "lower";
    } else if (state === "acronym") {
      if (upper) current += char.toLowerCase();
      else if (/[0-9s]/.test(char)) {
        current += char;
        state = "lower";
      } else {
        words.push(current.slice(0, -1));
        current = current.slice(-1) + char;
        state = "lower";
      }
    } else if (upper) {
      words.push(current);
      current = char.toLowerCase();
      state = "upper";
    } else current += char;
  }
  if (current) words.push(current);
  return words.filter((w) => w !== "").join("_");
}

/** Field names of each `multicloud.<Type>{...}` composite literal in Go source (elements of `[]T{{...}}` and `map[K]T{k: {...}}` too). */
function goLiterals(source: string): { type: string; fields: string[] }[] {
  const out: { type: string; fields: string[] }[] = [];
  for (const m of source.matchAll(/(\]?)multicloud\.(\w+)\{/g)) {
    // A slice or map literal's elements are one level further in.
    const depthOfFields = m[1] ? 2 : 1;
    const fields: string[] = [];
    let depth = 0;
    let inString = false;
    for (let i = m.index! + m[0].length - 1; i < source.length; i++) {
      const c = source[i]!;
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) break;
      else if (depth === depthOfFields && /[A-Za-z]/.test(c) && !/[\w.]/.test(source[i - 1]!)) {
        const key = /^(\w+)\s*:/.exec(source.slice(i));
        if (key && !source.slice(i, i + key[0].length + 1).endsWith("=")) fields.push(key[1]!);
        i += (key?.[1] ?? /^\w+/.exec(source.slice(i))![0]).length - 1;
      }
    }
    out.push({ type: m[2]!, fields });
  }
  return out;
}

describe("examples/go", () => {
  it("fills the generated SDK's structs with fields the schema declares (Go names: the property, capitalised)", () => {
    const literals = goLiterals(fs.readFileSync(path.join(ROOT, "examples/go/main.go"), "utf8"));
    expect(literals.map((l) => l.type)).toContain("MultiCloudWorkloadArgs");
    const problems = literals.flatMap(({ type, fields }) => {
      const declared = type === "MultiCloudWorkloadArgs" ? schema.resources["multicloud:index:MultiCloudWorkload"]!.inputProperties : schema.types[`multicloud:index:${type}`]?.properties;
      if (!declared) return [`multicloud.${type}: no such type in the schema`];
      const names = new Set(Object.keys(declared).map((k) => k[0]!.toUpperCase() + k.slice(1)));
      return fields.filter((f) => !names.has(f)).map((f) => `multicloud.${type}{${f}: ...}: not a property`);
    });
    expect(problems).toEqual([]);
    expect(literals.find((l) => l.type === "WorkloadDemandArgs")?.fields).toEqual(["Replicas", "Cpu", "MemoryGiB"]);
    expect(literals.find((l) => l.type === "WorkloadProviderArgs")?.fields).toEqual(["Regions", "Regions", "Regions"]);
  });
});

describe("examples/python", () => {
  it("calls the generated SDK with the names Pulumi's Python code generator gives the schema's types and properties", () => {
    // The program's calls of the SDK, read with Python's own parser: class name and keyword arguments.
    const script = [
      "import ast, json, sys",
      "tree = ast.parse(open(sys.argv[1]).read())",
      "calls = [{'name': n.func.attr, 'keywords': [k.arg for k in n.keywords]} for n in ast.walk(tree)",
      "         if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) and n.func.value.id == 'multicloud']",
      "print(json.dumps(calls))",
    ].join("\n");
    const calls = JSON.parse(execFileSync("python3", ["-c", script, path.join(ROOT, "examples/python/__main__.py")], { encoding: "utf8" })) as { name: string; keywords: string[] }[];
    expect(calls.length).toBeGreaterThan(5);
    const problems = calls.flatMap(({ name, keywords }) => {
      // Input object types are generated as <schema type name>Args.
      const fields =
        name === "MultiCloudWorkload" ? schema.resources["multicloud:index:MultiCloudWorkload"]!.inputProperties : schema.types[`multicloud:index:${name.replace(/Args$/, "")}`]?.properties;
      if (!fields) return [`multicloud.${name}: no such type in the schema`];
      const names = new Set(Object.keys(fields).map(pyName));
      return keywords.filter((k) => !names.has(k)).map((k) => `multicloud.${name}(${k}=...): not a property (expected one of ${[...names].join(", ")})`);
    });
    expect(problems).toEqual([]);
    expect(["memoryGiB", "ingressCidrs", "sshPublicKey", "targetCpuUtilization", "monthlyCostUsd"].map(pyName)).toEqual([
      "memory_gi_b",
      "ingress_cidrs",
      "ssh_public_key",
      "target_cpu_utilization",
      "monthly_cost_usd",
    ]);
  });


  it("is a Python program that compiles", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "multicloud-py-"));
    const source = path.join(ROOT, "examples/python/__main__.py");
    // py_compile exits non-zero on a syntax error; the byte code goes to a temporary directory.
    execFileSync("python3", ["-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)", source, path.join(out, "main.pyc")], { stdio: "pipe" });
    expect(fs.existsSync(path.join(out, "main.pyc"))).toBe(true);
  });

  it("declares the plugin and what the program imports", () => {
    const project = parse(fs.readFileSync(path.join(ROOT, "examples/python/Pulumi.yaml"), "utf8")) as { runtime: { name: string }; packages: Record<string, string> };
    expect(project.runtime.name).toBe("python");
    expect(path.resolve(ROOT, "examples/python", project.packages.multicloud!)).toBe(ROOT);
    const requirements = fs.readFileSync(path.join(ROOT, "examples/python/requirements.txt"), "utf8");
    expect(requirements).toMatch(/^pulumi\b/m);
    expect(requirements).toMatch(/^pyyaml\b/m);
  });
});
