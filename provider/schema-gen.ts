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
import { COMPONENTS } from "./resources";

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
const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(__dirname, "schema.json");

export function generate(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; description: string };
  const names = new Set(Object.keys(COMPONENTS).map((token) => token.split(":")[2]!));
  // provider/schema/tsconfig.json: a program of the package entry and its imports only.
  const analysis = new Analyzer(path.join(__dirname, "schema"), PACKAGE, { main: "../../index.ts" }, names).analyze();
  const schema = generateSchema(PACKAGE, manifest.version, manifest.description, analysis.components, analysis.typeDefinitions, analysis.dependencies);
  const text = JSON.stringify(schema, null, 2).replace(/("\$ref": "\/[^/"]+\/v[^/"]+\/schema\.json#)\/resources\/[^:"]+"/g, '$1/provider"');
  return `${text}\n`;
}

if (require.main === module) {
  const text = generate();
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
