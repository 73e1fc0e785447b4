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
import { Module } from "node:module";
import * as path from "node:path";

function deferModule(id: string, from: string): void {
  let file: string;
  try {
    file = require.resolve(id, { paths: [from] });
  } catch {
    return;
  }
  if (require.cache[file]) return;
  let real: Record<PropertyKey, unknown> | undefined;
  const load = (): Record<PropertyKey, unknown> => {
    if (!real) {
      delete require.cache[file];
      real = require(file) as Record<PropertyKey, unknown>;
    }
    return real;
  };
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = new Proxy(
    {},
    {
      // `__esModule`: TypeScript's `__importStar` then keeps the stand-in instead of copying
      // (and so loading) every export at import time.
      get: (_, key) => (key === "__esModule" ? true : load()[key]),
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Object.getOwnPropertyDescriptor(load(), key);
        return d && { ...d, configurable: true };
      },
    },
  );
  require.cache[file] = standIn;
}

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
