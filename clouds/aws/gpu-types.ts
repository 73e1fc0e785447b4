/**
 * GPU model per EC2 instance family. AWS price sources (the snapshot tables and the Price List
 * API alike) give a GPU count but no model; this table is the one place that names it, so the
 * snapshot builder and the live source agree. Families absent here that report GPUs are dropped
 * by both, so a new family cannot enter the catalog with a wrong model.
 */

export const AWS_GPU_MODEL: Readonly<Record<string, string>> = {
  p2: "k80",
  p3: "v100",
  p3dn: "v100",
  p4d: "a100",
  p4de: "a100",
  p5: "h100",
  p5e: "h200",
  p5en: "h200",
  "p6-b200": "b200",
  "p6-b300": "b300",
  g2: "k520",
  g3: "m60",
  g3s: "m60",
  g4dn: "t4",
  g4ad: "radeon-pro-v520",
  g5: "a10g",
  g5g: "t4g",
  g6: "l4",
  gr6: "l4",
  g6e: "l40s",
  g7: "rtx-pro-4500",
  g7e: "rtx-pro-6000",
};

/**
 * Inferentia, Trainium, Gaudi (dl), FPGA (f) and video-transcoding (vt) accelerators are not
 * GPUs: they are stored as gpus 0 so that a GPU request is never met by, say, an Inferentia chip.
 */
export const NON_GPU_ACCELERATOR = /^(inf|trn|dl|f|vt)\d/;

/** `m7i.xlarge` -> `m7i`; `p6-b200.48xlarge` -> `p6-b200`. */
export function awsFamily(instanceType: string): string {
  return instanceType.split(".")[0] ?? instanceType;
}

/**
 * GPU count and model of a type from the count a source reports: non-GPU accelerators become 0;
 * `gpuType` is "?" when the family is unknown (callers drop such rows and count them).
 */
export function awsGpus(instanceType: string, reportedGpus: number): { gpus: number; gpuType: string | null } {
  const fam = awsFamily(instanceType);
  const gpus = NON_GPU_ACCELERATOR.test(fam) ? 0 : reportedGpus;
  return { gpus, gpuType: gpus > 0 ? (AWS_GPU_MODEL[fam] ?? "?") : null };
}
