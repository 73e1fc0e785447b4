// Preloaded by bench/cold.ts (`node --require bench/maxrss.js ...`): prints the process's peak RSS
// on exit, on stderr, on a line of its own.
"use strict";
process.on("exit", () => process.stderr.write(`\nbench-maxrss-kib ${process.resourceUsage().maxRSS}\n`));
