/** Log levels, most verbose first. */
export const LogLevel = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevelName = keyof typeof LogLevel;

/** Where the broker writes its log lines. */
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const ENV_LEVEL = process.env.MXFLOW_LOG_LEVEL;

function parseLevel(name: string | undefined): LogLevelName | undefined {
  return name !== undefined && name in LogLevel ? (name as LogLevelName) : undefined;
}

/**
 * A logger writing one line per event to stderr. The level comes from the option, else from
 * `MXFLOW_LOG_LEVEL`, else `info`.
 */
export function createLogger(level?: LogLevelName): Logger {
  const min = LogLevel[level ?? parseLevel(ENV_LEVEL) ?? 'info'];
  const line = (lvl: LogLevelName, msg: string) => {
    if (LogLevel[lvl] >= min) process.stderr.write(`${new Date().toISOString()} ${lvl} kafka-broker: ${msg}\n`);
  };
  return {
    debug: (m) => line('debug', m),
    info: (m) => line('info', m),
    warn: (m) => line('warn', m),
    error: (m) => line('error', m),
  };
}
