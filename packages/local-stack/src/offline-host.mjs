// The services host's entry (see offline-host.ts), run with plain Node by services-host.ts:
// it runs the build of offline-host.ts (see programs.mjs). `pnpm dev` made the build before it
// launched the hosts; a host launched otherwise (the tests) builds it when it is stale.
import module from 'node:module';
import { compileCacheDir, localStackPrograms } from './programs.mjs';

// V8's compile cache: a restart finds osls, the plugins and the handlers' bundles compiled
// instead of parsing them again. Node checks each entry against the file's content, so a
// changed file is compiled afresh. offline-host.ts writes it out once the services are ready
// and again when the host stops.
module.enableCompileCache?.(compileCacheDir('offline-host'));

const programs = await localStackPrograms();
await import(programs.urls['offline-host']);
