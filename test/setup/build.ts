/**
 * vitest `globalSetup`: brings dist/ up to date before any test runs (scripts/prepare.js: a no-op
 * when dist/ is newer than every source file, else tsc). Tests that run the CLI as users do
 * (bin/multicloud.js) or start the plugin as the engine does (dist/provider/index.js) then never
 * test a stale build; before, they needed `npm run build` by hand after an edit.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

export default function buildOnce(): void {
  execFileSync(process.execPath, [path.resolve(__dirname, "../../scripts/prepare.js")], { stdio: "inherit" });
}
