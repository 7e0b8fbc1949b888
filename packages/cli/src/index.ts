export { run, usage, ExitCode } from './cli';
export { CliError, InputError, UsageError } from './errors';
export type { Io } from './io';
export { validateInput, type FileReport, type Finding } from './validate';
