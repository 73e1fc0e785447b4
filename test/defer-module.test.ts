/**
 * Modules deferred at start-up (provider/defer-module.ts): not loaded when the library loads,
 * loaded on first use, and the library works as before. Each case runs in its own node process on
 * dist/, as the CLI and the plugin do: a deferral is process-wide and must come first.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");

function run(script: string): Record<string, unknown> {
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" }));
}

describe("zod's translations (provider/defer-zod-locales.ts)", () => {
  it("are not loaded with zod; zod's own messages stay English; a translation still loads on use", () => {
    const seen = run(`
      require("./dist/provider/defer-zod-locales.js");
      const loaded = () => Object.keys(require.cache).filter((f) => /zod[\\\\/]v4[\\\\/]locales[\\\\/]fr\\.cjs$/.test(f)).length;
      const { z } = require("zod");
      const message = z.object({ a: z.string() }).safeParse({ a: 1 }).error.issues[0].message;
      const before = loaded();
      const fr = typeof z.locales.fr;
      process.stdout.write(JSON.stringify({ message, before, fr, after: loaded() }));`);
    expect(seen).toEqual({ message: "Invalid input: expected string, received number", before: 0, fr: "function", after: 1 });
  });

  it("load as usual without the deferral (the check above can see them)", () => {
    const seen = run(`
      require("zod");
      process.stdout.write(JSON.stringify({ loaded: Object.keys(require.cache).some((f) => /zod[\\\\/]v4[\\\\/]locales[\\\\/]fr\\.cjs$/.test(f)) }));`);
    expect(seen).toEqual({ loaded: true });
  });
});

describe("@pulumi/pulumi's closure-serialization modules (provider/defer-closure-deps.ts)", () => {
  it("are not loaded with the SDK, and load when used", () => {
    const seen = run(`
      require("./dist/provider/defer-closure-deps.js");
      const ts = () => Object.keys(require.cache).some((f) => /[\\\\/]typescript[\\\\/]lib[\\\\/]typescript\\.js$/.test(f));
      require("@pulumi/pulumi");
      const before = ts();
      const shim = require("@pulumi/pulumi/typescript-shim");
      const version = typeof shim.version;
      process.stdout.write(JSON.stringify({ before, version, after: ts() }));`);
    expect(seen).toEqual({ before: false, version: "string", after: true });
  });
});
