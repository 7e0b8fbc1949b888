// The services host's entry (see offline-host.ts), run with plain Node by services-host.ts.
// tsx's scoped tsImport() compiles the host's own TypeScript only: osls, the plugins
// and the handlers' bundles load with Node alone.
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

// V8's compile cache, beside the bundles' cache: a restart finds osls, the plugins and the
// handlers' bundles compiled instead of parsing them again. Node checks each entry against
// the file's content, so a changed file is compiled afresh. offline-host.ts writes it out
// once the services are ready and again when the host stops.
module.enableCompileCache?.(fileURLToPath(new URL('../../../node_modules/.cache/mxflow-offline/compile-cache/', import.meta.url)));

await tsImport('./offline-host.ts', import.meta.url);
