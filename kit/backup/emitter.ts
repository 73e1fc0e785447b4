/**
 * The one interface every cloud implements to realise a backup plan (`clouds/<cloud>/backup-emitter.ts`),
 * and the plain values that cross between a source cloud and a destination cloud.
 *
 * A backup involves two clouds in two roles, wired in this order by the component:
 *   1. destination.accessRequest(): how its transfer service wants to read the source
 *      (trust a web identity, an access key pair, or a SAS);
 *   2. source.grantRead(): the least-privilege, read-only grant of that kind on the source
 *      bucket or container, described as a `SourceAccess`;
 *   3. destination.emitDestination(): the protected bucket or container, the transfer job that
 *      reads through that access, and the alert on failed transfers.
 * Emitters register children only when called, under `ctx.parent`, with logical names that start
 * with `ctx.name` (each emitter's header lists them: names are identity). Credentials only ever
 * travel as Pulumi secrets.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { BackupPlan, BackupSpec, LifecycleStage, PhysicalNames, TransferSchedule } from "../../core/backup";
import type { RotationPeriod } from "../../core/backup/rotation";
import type { TagInputs } from "../workload/tags";
import type { PackageResource } from "../package-resources";

/** Everything decided before any resource exists. */
export interface BackupContext {
  /** The component's name: the prefix of every child's logical name. */
  name: string;
  parent: pulumi.Resource;
  spec: BackupSpec;
  plan: BackupPlan;
  /**
   * The source's names as given: an Output where another resource creates the bucket or account
   * (`spec.source` then holds FROM_OUTPUT, core/spec/traffic.ts). Emitters read names from here.
   */
  source: SourceNames;
  names: PhysicalNames;
  /** Tags (AWS, Azure) or labels (GCP) on every resource that takes them. */
  tags: TagInputs;
  schedule: TransferSchedule;
  stages: LifecycleStage[];
  /**
   * The credential rotation period `pulumi up` runs in (core/backup/rotation.ts): long-lived keys
   * are replaced when it changes, and a SAS expires two periods after its start.
   */
  rotation: RotationPeriod;
}

export interface SourceNames {
  bucket?: pulumi.Input<string>;
  storageAccount?: pulumi.Input<string>;
  container?: pulumi.Input<string>;
  resourceGroupName?: pulumi.Input<string>;
}

export type AccessMethod = "web-identity" | "access-key" | "sas";

export interface AccessRequest {
  method: AccessMethod;
  /** For web-identity: the OIDC issuer and subject the source must trust (and nothing else). */
  federation?: { issuer: string; subject: pulumi.Output<string> };
}

interface AccessBase {
  /** The grant's resources, for the transfer job to depend on (a job must not start before its grant exists). */
  resources: pulumi.Resource[];
  prefix: string;
}

/** What a source granted, in terms the destination's transfer service can use. */
export type SourceAccess =
  | (AccessBase & { method: "web-identity"; protocol: "s3"; bucket: pulumi.Input<string>; region: string; roleArn: pulumi.Output<string> })
  | (AccessBase & {
      method: "access-key";
      /** Storage API the key is for: S3 itself, or GCS through its S3-compatible XML API. */
      protocol: "s3" | "gcs";
      endpoint: string;
      bucket: pulumi.Input<string>;
      region: string;
      accessKeyId: pulumi.Output<string>;
      secretAccessKey: pulumi.Output<string>;
    })
  | (AccessBase & { method: "sas"; protocol: "azure-blob"; account: pulumi.Input<string>; container: pulumi.Input<string>; sasToken: pulumi.Output<string> });

export interface DestinationResult {
  /** Bucket (S3, GCS) or container (Blob) name. */
  bucket: pulumi.Output<string>;
  /** Storage account (Blob only). */
  account?: pulumi.Output<string>;
  /** `s3://…`, `gs://…`, `https://<account>.blob.core.windows.net/<container>`. */
  url: pulumi.Output<string>;
  /** Task ARN, transfer job name, or Data Factory pipeline id. */
  transferJobId: pulumi.Output<string>;
  /** Steps left to a person after `pulumi up` (empty when none). */
  followUp: pulumi.Output<string[]>;
}

export interface BackupEmitter {
  /** The cloud's key (`aws`), as in the registry. */
  readonly provider: string;
  /** Destination role: how this cloud's transfer service reads a source on `sourceProvider`. */
  accessRequest(ctx: BackupContext, sourceProvider: string): AccessRequest;
  /** Source role: the read-only grant `request` asks for on `ctx.spec.source`. */
  grantRead(ctx: BackupContext, request: AccessRequest): SourceAccess;
  /** Destination role: store, transfer job and alert. */
  emitDestination(ctx: BackupContext, access: SourceAccess): DestinationResult;
  /** Custom resources of this package the emitter registers inside the plugin, which serves them (../package-resources.ts). */
  readonly packageResources?: readonly PackageResource[];
}
