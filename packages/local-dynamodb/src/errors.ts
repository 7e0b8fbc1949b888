/** Base class for every error raised by `@mxflow/local-dynamodb`. */
export class LocalDynamoDbError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalDynamoDbError';
  }
}

/** The install command printed whenever Java is missing or too old. */
export const JAVA_INSTALL_HINT = 'apt-get install -y openjdk-17-jre-headless';

/** No `java` executable could be run. */
export class JavaNotFoundError extends LocalDynamoDbError {
  constructor(javaPath: string, options?: { cause?: unknown }) {
    super(
      `DynamoDB Local needs Java 17 or newer, but "${javaPath}" could not be run. Install it with: ${JAVA_INSTALL_HINT}`,
      options,
    );
    this.name = 'JavaNotFoundError';
  }
}

/** `java` runs but reports a major version below 17, or one that cannot be parsed. */
export class JavaVersionError extends LocalDynamoDbError {
  constructor(found: string, options?: { cause?: unknown }) {
    super(
      `DynamoDB Local needs Java 17 or newer, but found ${found}. Install it with: ${JAVA_INSTALL_HINT}`,
      options,
    );
    this.name = 'JavaVersionError';
  }
}

/** The emulator jar shipped by amplify-dynamodb-simulator is not on disk. */
export class EmulatorNotFoundError extends LocalDynamoDbError {
  constructor(path: string, options?: { cause?: unknown }) {
    super(`DynamoDB Local jar not found at ${path}; reinstall amplify-dynamodb-simulator`, options);
    this.name = 'EmulatorNotFoundError';
  }
}

/** The Java process exited, or did not answer ListTables, before the start deadline. */
export class DynamoDbStartError extends LocalDynamoDbError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DynamoDbStartError';
  }
}

/** DynamoDB Local could not bind its port (another process holds it on some interface). */
export class PortInUseError extends DynamoDbStartError {
  readonly port: number;
  constructor(port: number, options?: { cause?: unknown }) {
    super(`DynamoDB Local could not bind port ${port}: it is in use`, options);
    this.name = 'PortInUseError';
    this.port = port;
  }
}
