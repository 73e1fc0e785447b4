/**
 * Generates provider/schema.json, the plugin's Pulumi package schema, from the component classes
 * and their args interfaces, with Pulumi's own schema inferrer (the one `componentProviderHost`
 * would run at every plugin start; here it runs once, at build time).
 *
 *   npx tsx provider/schema-gen.ts           write provider/schema.json
 *   npx tsx provider/schema-gen.ts --check   exit 1 when provider/schema.json is out of date (CI)
 *
 * One fix-up: the inferrer references an explicit provider resource (an `aws.Provider` arg) as
 * `/aws/v7.x/schema.json#/resources/aws`; in a package schema a provider is `#/provider`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { COMPONENTS, packageResources } from "./resources";

// Internal modules of @pulumi/pulumi 3.248 (provider/experimental): the inferrer and schema writer.
const { Analyzer } = require("@pulumi/pulumi/provider/experimental/analyzer") as {
  Analyzer: new (dir: string, name: string, packageJSON: object, components: Set<string>) => { analyze(): Analysis };
};
const { generateSchema } = require("@pulumi/pulumi/provider/experimental/schema") as {
  generateSchema(name: string, version: string, description: string, components: object, types: object, dependencies: object[], namespace?: string): object;
};

interface Analysis {
  components: object;
  typeDefinitions: object;
  dependencies: object[];
}

const PACKAGE = "multicloud";
/** Names of the SDKs `pulumi package add` generates: Python `pulumi_multicloud`, Go `.../sdk/go/multicloud`, C# `Pulumi.Multicloud`. */
const LANGUAGE = {
  python: { packageName: "pulumi_multicloud" },
  go: { importBasePath: "github.com/pulumi-multicloud/pulumi-multicloud/sdk/go/multicloud" },
  csharp: { rootNamespace: "Pulumi" },
};
const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(__dirname, "schema.json");

/** `custom`: the package's own custom resources' schema entries by token (./resources.ts `packageResources`). */
export function generate(custom: Record<string, object> = {}): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; description: string };
  const names = new Set(Object.keys(COMPONENTS).map((token) => token.split(":")[2]!));
  // provider/schema/tsconfig.json: a program of the package entry and its imports only.
  const analysis = new Analyzer(path.join(__dirname, "schema"), PACKAGE, { main: "../../index.ts" }, names).analyze();
  const generated = generateSchema(PACKAGE, manifest.version, manifest.description, analysis.components, analysis.typeDefinitions, analysis.dependencies) as {
    language?: Record<string, object>;
  };
  // Where the generated SDKs live, so the import paths the README gives hold for every user.
  const language = { ...generated.language };
  for (const [lang, options] of Object.entries(LANGUAGE)) language[lang] = { ...language[lang], ...options };
  // The package's own custom resources (kit/package-resources.ts) sit next to the components.
  const resources = { ...(generated as { resources?: Record<string, object> }).resources, ...custom };
  const schema = { ...generated, resources, language };
  const text = JSON.stringify(schema, null, 2).replace(/("\$ref": "\/[^/"]+\/v[^/"]+\/schema\.json#)\/resources\/[^:"]+"/g, '$1/provider"');
  return `${text}\n`;
}

function writeOrCheck(text: string): void {
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, "utf8") : "";
    if (current !== text) {
      process.stderr.write("provider/schema.json is out of date: run `npx tsx provider/schema-gen.ts`\n");
      process.exitCode = 1;
    }
  } else {
    fs.writeFileSync(OUT, text);
    process.stdout.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
  }
}

if (require.main === module) {
  // The custom resources' entries come from the emitters that register them (loaded on demand).
  void packageResources().then((served) => writeOrCheck(generate(Object.fromEntries([...served].map(([token, r]) => [token, r.schema])))));
}
