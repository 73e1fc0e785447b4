#!/usr/bin/env node
// Entry point of the `multicloud` CLI: runs the compiled TypeScript (built by `npm ci` / `npm run build`).
"use strict";
// A CLI run solves once or a few times: compiling HiGHS's WebAssembly with V8's optimising tier
// (TurboFan) costs seconds of CPU and pays back only over many solves, so the CLI keeps to the
// baseline compiler (Liftoff). Measured on the all-regions plan, fresh processes on 2 cores:
// 5.3 s -> 2.1 s median, peak RSS 222 -> 152 MiB. Set here, before HiGHS is compiled (it is compiled
// on the first solve), so it works however the CLI is started (`npx multicloud`, a shebang, a
// symlink); node's own flags on the command line or in NODE_OPTIONS win.
const nodeFlags = [...process.execArgv, ...(process.env.NODE_OPTIONS || "").split(/\s+/)];
if (!nodeFlags.some((f) => /^--(no-)?(liftoff|wasm-)/.test(f))) require("node:v8").setFlagsFromString("--liftoff-only");
// The plan's data (the price snapshot's offers, the placement options) lives until the process
// ends, so a young generation that grows only copies it again before promoting it: keeping it at
// its initial size cut the all-regions plan's CPU by ~120 ms and its peak RSS from 141 to 116 MiB
// (median of 9 paired fresh runs). Read by V8 whenever the young generation would grow, so it
// still works when set here, after start.
if (!nodeFlags.some((f) => /^--semi-space/.test(f))) require("node:v8").setFlagsFromString("--semi-space-growth-factor=1");
let cli;
try {
  cli = require("../dist/provider/cli/main.js");
} catch (err) {
  if (err && err.code === "MODULE_NOT_FOUND" && String(err.message).includes("dist/provider/cli/main.js")) {
    process.stderr.write("error: pulumi-multicloud is not built: run `npm ci` (or `npm run build`) in the package folder\n");
    process.exit(1);
  }
  throw err;
}
cli.run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
