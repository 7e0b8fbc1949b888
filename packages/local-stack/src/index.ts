export * from './errors';
export { readInfrastructure } from './infra';
export type {
  BucketDefinition,
  Infrastructure,
  KafkaTopicDefinition,
  NotificationTopicDefinition,
  OAuthDefinition,
  PolicyDocument,
  TableDefinition,
} from './infra';
export { provision, type ProvisionClients, type Provisioned, type TopicAdmin } from './provision';
export { readSeed, seedParticipants, SeedError, type TableNames, type Seed, type SeedClient, type SeedParticipant } from './seed';
export { defaultComposeFile, defaultInfraDir, defaultSeedFile, localAws, localClientConfig, requestAccessToken, startLocalCloud, type LocalCloud, type LocalCloudEndpoints, type LocalCloudOptions } from './cloud';
export { readCompose, serviceEnvironment, serverlessBin, startService, type ComposeService, type RunningService } from './services';
export { CONSOLE_PATH, startGateway, type GatewayConsole, type GatewayOptions, type GatewayRoute, type LocalGateway } from './gateway';
export { defaultConsoleDir, startPlatform, type LocalPlatform, type PlatformOptions } from './platform';
export { descendants, listProcesses, type ProcessInfo } from './processes';
export { hostedServices } from './services-host';
