/** Locates files shipped with the package, from source (vitest, tsx) and from dist/ alike. */
import * as fs from "node:fs";
import * as path from "node:path";

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "pulumi-multicloud") {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`pulumi-multicloud: cannot find the package root above ${__dirname}`);
    dir = parent;
  }
}

export function packagePath(...segments: string[]): string {
  return path.join(packageRoot(), ...segments);
}
