#!/usr/bin/env node
// Entry point of the `multicloud` CLI: runs the compiled TypeScript (built by `npm ci` / `npm run build`).
"use strict";
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
