/** Where a figure of an embedded snapshot comes from, for the attribution file. */
export interface SnapshotCitation {
  file: string;
  what: string;
  origin: string;
  licence: string;
  asOf: string;
}
