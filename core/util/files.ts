/** File writes that never leave a half-written file behind: write a temp file, then rename. */
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "./errors";

export function writeFileAtomic(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch (err) {
    // Best effort: the temp path may be something we did not create (a folder in the way); the
    // user's error is the write that failed, not this cleanup.
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      /* left as it was */
    }
    throw new UserError(`cannot write ${file}: ${(err as Error).message}`);
  }
}
