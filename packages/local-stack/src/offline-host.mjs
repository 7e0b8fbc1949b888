// The services host's entry (see offline-host.ts), run with plain Node by services-host.ts.
// tsx's scoped tsImport() compiles the host's own TypeScript only: osls, the plugins
// and the handlers' bundles load with Node alone.
import { tsImport } from 'tsx/esm/api';

await tsImport('./offline-host.ts', import.meta.url);
