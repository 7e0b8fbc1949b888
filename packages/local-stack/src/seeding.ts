/**
 * `@mxflow/local-stack/seed`: what writing a seed file into a running local
 * platform needs (`mxflow seed`), without the modules that start the
 * platform's parts, so that a bundle of its importer stays small.
 */
export { readSeed, seedParticipants, SeedError, type Seed, type SeedClient, type SeedParticipant, type TableNames } from './seed';
export { localAws, localClientConfig } from './local-aws';
