import { performance } from "node:perf_hooks";
import { MultiCloudWorkload } from "./components";
import { resolveWorkload } from "./components/workload/resolve";
import { setupPulumi } from "./test/components/harness";
import { webArgs } from "./test/components/scenario";
(async () => {
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    await resolveWorkload(webArgs(), "web", { placements: undefined, stackConfig: "x" });
    console.log("resolve", Math.round(performance.now() - t));
    t = performance.now();
    const h = await setupPulumi();
    console.log("setup", Math.round(performance.now() - t));
    t = performance.now();
    const w = new MultiCloudWorkload("web", webArgs());
    await w.ready();
    console.log("ready", Math.round(performance.now() - t));
    t = performance.now();
    await h.flushLogs();
    console.log("flush", Math.round(performance.now() - t));
  }
  process.exit(0);
})();
