/**
 * The clouds this package plans across and deploys to: the one list, used by the CLI, the
 * components, the plugin and the scripts. A fourth cloud is one folder (`clouds/<name>/index.ts`
 * exporting a `Cloud`) plus one entry here; the core takes this list as an argument and never
 * imports it.
 */
import { CloudRegistry } from "../kit/cloud";
import { aws } from "./aws";
import { azure } from "./azure";
import { gcp } from "./gcp";

export const CLOUDS = new CloudRegistry([aws, azure, gcp]);
