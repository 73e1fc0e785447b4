/**
 * The plugin entry (PulumiPlugin.yaml `main`): serves the package's components to the Pulumi engine
 * over gRPC (GetSchema, Construct). The Pulumi language host loads this module and passes the
 * engine address as an argument; the server prints its port, as plugins do. Nothing imports this
 * file: the provider itself is in ./resources.ts.
 */
import { main } from "@pulumi/pulumi/provider";
import { MulticloudProvider } from "./resources";

MulticloudProvider.create()
  .then((provider) => main(provider, process.argv.slice(2)))
  .catch((err: unknown) => {
    process.stderr.write(`multicloud plugin: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
