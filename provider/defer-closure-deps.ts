/**
 * Plugin start-up: defers two modules that `@pulumi/pulumi` requires when it loads but uses only
 * to serialize JavaScript closures (function serialization for dynamic providers and callbacks):
 * the TypeScript compiler (`typescript-shim`, 9 MB of source) and `@npmcli/arborist` (code paths
 * of a closure's packages). The plugin serves GetSchema and Construct and serializes no closure,
 * yet loading them was most of its start: `require("@pulumi/pulumi")` 830 -> 220 ms measured on a
 * 2-core machine, plugin start to first GetSchema 1.3 -> ~0.7 s.
 *
 * Each is replaced in the module cache by a stand-in that loads the real module on first use and
 * forwards every property read to it, so a closure serialized after all still works, only later.
 * Import this module before anything that imports `@pulumi/pulumi` (provider/index.ts does, first).
 * Where the SDK's layout differs (a renamed file), nothing is deferred and the SDK loads as before.
 */
import * as path from "node:path";
import { deferModule } from "./defer-module";

let sdkDir: string | undefined;
try {
  sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
} catch {
  sdkDir = undefined;
}
if (sdkDir) {
  deferModule(path.join(sdkDir, "typescript-shim"), sdkDir);
  deferModule("@npmcli/arborist", path.join(sdkDir, "runtime", "closure"));
}
