/**
 * Defers a module that a library requires when it loads but that a process may never use: the
 * module is replaced in the require cache by a stand-in that loads the real one on first use and
 * forwards every property read to it, so a use after all still works, only later. Call it before
 * anything requires the library. Where the module cannot be resolved (another layout of the
 * library), nothing is deferred and the library loads as before.
 *
 * Used for @pulumi/pulumi's closure-serialization modules (./defer-closure-deps.ts) and
 * zod's translations (./defer-zod-locales.ts).
 */
import { Module } from "node:module";

export function deferModule(id: string, from: string): void {
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
