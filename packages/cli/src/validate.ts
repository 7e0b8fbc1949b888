import {
  checkBusinessRules,
  Iso20022Error,
  MalformedXmlError,
  toJson,
  validateXml,
  type EngineOptions,
  type RuleViolation,
  type ValidationIssue,
} from '@mxflow/iso20022';
import { CliError } from './errors';
import { readInput, type Io } from './io';

/** One finding about a file: an XSD issue, a broken business rule, or input that is no usable message. */
export type Finding =
  | ({ readonly kind: 'schema' } & ValidationIssue)
  | ({ readonly kind: 'rule' } & RuleViolation)
  | { readonly kind: 'input'; readonly code: string; readonly message: string; readonly line?: number; readonly column?: number };

/** The verdict on one file. */
export interface FileReport {
  readonly file: string;
  readonly valid: boolean;
  readonly messageId?: string;
  readonly messageType?: string;
  readonly errors: readonly Finding[];
}

/**
 * Validates one input: the XSD first, and the business rules (on the
 * Document and on the AppHdr, if any) once the XSD passes.
 */
export function validateInput(file: string, input: Uint8Array, options: EngineOptions = {}): FileReport {
  let result;
  try {
    result = validateXml(input, options);
  } catch (error) {
    if (!(error instanceof Iso20022Error)) throw error;
    const where = error instanceof MalformedXmlError ? { line: error.line, column: error.column } : {};
    return { file, valid: false, errors: [{ kind: 'input', code: error.code, message: error.message, ...where }] };
  }
  const identity = { messageId: result.messageId, messageType: result.messageType };
  if (!result.valid) return { file, valid: false, ...identity, errors: result.issues.map((issue) => ({ kind: 'schema', ...issue })) };
  const message = toJson(input, options);
  const violations = [
    ...(message.appHdr ? checkBusinessRules('head.001.001.02', { AppHdr: message.appHdr }) : []),
    ...checkBusinessRules(message.messageId, message.document),
  ];
  return { file, valid: violations.length === 0, ...identity, errors: violations.map((violation) => ({ kind: 'rule', ...violation })) };
}

function describe(finding: Finding): string {
  switch (finding.kind) {
    case 'schema':
      return `${finding.line}:${finding.column} ${finding.path}: ${finding.message}`;
    case 'rule':
      return `${finding.code} ${finding.path}: ${finding.message}`;
    case 'input':
      return `${finding.line ? `${finding.line}:${finding.column ?? 0} ` : ''}${finding.message}`;
  }
}

/** `mxflow validate [--json] FILE…`: exit 0 when every file is valid, 1 otherwise. */
export function validateCommand(files: readonly string[], json: boolean, io: Io, options: EngineOptions = {}): number {
  let allValid = true;
  for (const file of files) {
    let report: FileReport;
    try {
      report = validateInput(file, readInput(file, io), options);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      report = { file, valid: false, errors: [{ kind: 'input', code: 'UNREADABLE', message: error.message }] };
    }
    allValid &&= report.valid;
    if (json) {
      io.stdout(`${JSON.stringify({ file: report.file, valid: report.valid, messageId: report.messageId, messageType: report.messageType, errors: report.errors })}\n`);
    } else {
      const what = report.messageId ?? 'unknown message';
      const count = report.errors.length === 1 ? '1 error' : `${report.errors.length} errors`;
      io.stdout(`${file}: ${report.valid ? 'valid' : `invalid (${count})`} ${what}\n`);
      for (const finding of report.errors) io.stdout(`  ${describe(finding)}\n`);
    }
  }
  return allValid ? 0 : 1;
}
