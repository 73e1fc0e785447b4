/**
 * CLI and plugin start-up: defers zod's translations of its messages (`zod/v4/locales`, 40-odd
 * languages), which zod requires when it loads. This package's messages are its own and zod's
 * English default is imported by zod directly, so the translations are never read; loading them
 * was ~25 ms of every plan (zod 82 -> 57 ms, 2-core machine). A use after all still works
 * (./defer-module.ts). Import this before anything that imports zod.
 */
import * as path from "node:path";
import { deferModule } from "./defer-module";

let zodDir: string | undefined;
try {
  zodDir = path.dirname(require.resolve("zod/package.json"));
} catch {
  zodDir = undefined;
}
if (zodDir) deferModule("zod/v4/locales", zodDir);
