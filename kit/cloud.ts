/**
 * A cloud as the components see it: the core's planning adapter (core/clouds/adapter.ts) plus
 * on-demand loaders for the cloud's resource emitters. Each `clouds/<cloud>/index.ts` exports one
 * value of this type; `clouds/registry.ts` lists them.
 *
 * The loaders are what keeps a plan light: the emitters import Pulumi and the cloud's Pulumi SDK,
 * and only a component (or the plugin) ever calls a loader. Loading `clouds/<cloud>/index.ts`
 * itself loads neither.
 */
import { CloudSet } from "../core/clouds/cloud-set";
import type { CloudAdapter } from "../core/clouds/adapter";
import type { WorkloadEmitter } from "./workload/emitter";
import type { BackupEmitter } from "./backup/emitter";
import type { DnsEmitter } from "./workload/dns";
import type { StorageClient } from "./backup/storage";

export interface Cloud extends CloudAdapter {
  /** The emitter of `MultiCloudWorkload`'s resources on this cloud (loads Pulumi and the cloud's SDK). */
  loadWorkloadEmitter(): Promise<WorkloadEmitter>;
  /** The emitter of `CrossCloudBackup`'s resources, source and destination roles (loads Pulumi and the cloud's SDK). */
  loadBackupEmitter(): Promise<BackupEmitter>;
  /**
   * The emitter of `traffic.dns` (health checks and weighted records of one name across every
   * region of every cloud), for the cloud whose DNS service steers it (optional capability: the
   * components use the first cloud of the registry that has it).
   */
  loadDnsEmitter?(): Promise<DnsEmitter>;
  /**
   * The object-storage client of `multicloud backup verify --live` and `backup restore` (loads the
   * cloud's storage SDK). Optional: a cloud without it cannot be verified or restored live.
   */
  loadStorageClient?(): Promise<StorageClient>;
}

/** A cloud set whose members are full clouds: what the CLI, the components and the scripts use. */
export class CloudRegistry extends CloudSet {
  declare readonly adapters: readonly Cloud[];

  constructor(clouds: readonly Cloud[]) {
    super(clouds);
  }

  override get(name: string): Cloud {
    return super.get(name) as Cloud;
  }
}
