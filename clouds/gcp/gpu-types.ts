/**
 * GCP accelerator names -> the GPU model names used across clouds (`instance.gpuType` in specs),
 * so that `gpuType: a100` matches an A100 on any cloud. GCP names carry memory and packaging
 * variants (`a100-80gb`, `h100-80gb-mega`) that AWS and Azure fold into the instance type.
 */
const GCP_GPU_MODELS: Readonly<Record<string, string>> = {
  "a100-80gb": "a100",
  "h100-80gb": "h100",
  "h100-80gb-mega": "h100",
  "h200-141gb": "h200",
  "b200-180gb": "b200",
  rtx6000: "rtx-pro-6000", // G4: NVIDIA RTX PRO 6000 Blackwell
};

export function gcpGpuModel(acceleratorName: string): string {
  const name = acceleratorName.toLowerCase();
  return GCP_GPU_MODELS[name] ?? name;
}
