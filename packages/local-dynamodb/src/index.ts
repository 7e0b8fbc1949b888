export { startLocalDynamoDb, resolveEmulatorDir } from './server';
export type { LocalDynamoDb, LocalDynamoDbOptions } from './server';
export { checkJava, parseJavaMajorVersion, MIN_JAVA_MAJOR } from './java';
export {
  LocalDynamoDbError,
  JavaNotFoundError,
  JavaVersionError,
  EmulatorNotFoundError,
  DynamoDbStartError,
  PortInUseError,
  JAVA_INSTALL_HINT,
} from './errors';
