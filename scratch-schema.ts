const { Analyzer } = require("@pulumi/pulumi/provider/experimental/analyzer");
const { generateSchema } = require("@pulumi/pulumi/provider/experimental/schema");
const t = Date.now();
const a = new Analyzer(process.cwd() + "/provider/schema", "multicloud", { main: "../../index.ts" }, new Set(["MultiCloudWorkload", "CrossCloudBackup"]));
console.log("program", Date.now() - t);
const r = a.analyze();
console.log("analyze", Date.now() - t);
const s = generateSchema("multicloud", "0.1.0", "desc", r.components, r.typeDefinitions, r.dependencies, undefined);
require("fs").writeFileSync("/tmp/scratch/schema2.json", JSON.stringify(s, null, 2));
