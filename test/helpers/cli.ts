/** The CLI's main entry run in process, as the tests call it: exit code and what it printed. */
import { run } from "../../provider/cli/main";
import type { CloudSet } from "../../core/clouds/cloud-set";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `multicloud ...argv` with the project's clouds (or `clouds`, e.g. with a fourth cloud). */
export async function cliWith(clouds: CloudSet | undefined, argv: readonly string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) };
  const code = await run(argv, io, clouds);
  return { code, stdout, stderr };
}

export const cli = (...argv: string[]): Promise<CliResult> => cliWith(undefined, argv);
