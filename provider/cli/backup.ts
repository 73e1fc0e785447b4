/** `multicloud backup plan SPEC`: read the spec, plan the destination offline, render. */
import { planBackupFile } from "../../core/backup";
import { renderBackupPlan } from "../../core/backup/format";
import type { OutputFormat } from "../../core/plan/format";
import { writeFileAtomic } from "../../core/util/files";
import type { Io } from "./io";
import type { CloudSet } from "../../core/clouds/cloud-set";

export interface BackupPlanOptions {
  format: OutputFormat;
  out?: string;
}

export async function backupPlanCommand(specFile: string, options: BackupPlanOptions, io: Io, clouds: CloudSet): Promise<number> {
  const { plan } = planBackupFile(specFile, clouds);
  const text = renderBackupPlan(plan, options.format);
  if (options.out) {
    writeFileAtomic(options.out, text);
    io.stderr(`wrote the ${options.format} backup plan for ${plan.name} to ${options.out}\n`);
  } else {
    io.stdout(text);
  }
  return 0;
}
