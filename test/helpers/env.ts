/**
 * Puts process.env back to `saved`, in place: node's own env object stays (assigning a plain object
 * to process.env would outlive the file, as test workers run many files: vitest.config.ts).
 */
export function restoreEnv(saved: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
}
