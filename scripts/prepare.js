#!/usr/bin/env node
// `npm ci` / `npm install` / `npx multicloud` run `prepare`: build dist/ with tsc, but skip the
// build when dist/ is newer than every source file. npx runs `prepare` again for the package's own
// bin, and a no-op tsc still takes seconds (it parses the cloud SDKs' type declarations).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const stamp = path.join(root, "dist", ".tsbuildinfo");
const sources = ["core", "clouds", "kit", "components", "provider", "policy", "index.ts", "tsconfig.json", "tsconfig.build.json", "package.json"];

function newest(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return p.endsWith(".ts") || p.endsWith(".json") ? stat.mtimeMs : 0;
  return fs.readdirSync(p).reduce((max, name) => Math.max(max, newest(path.join(p, name))), 0);
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const changed = Math.max(...sources.map((s) => newest(path.join(root, s))));
if (built > changed && process.argv[2] !== "--force") process.exit(0);
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { cwd: root, stdio: "inherit" });
// tsc leaves the build info untouched when nothing changed: touch it so the next check is cheap.
if (fs.existsSync(stamp)) fs.utimesSync(stamp, new Date(), new Date());
