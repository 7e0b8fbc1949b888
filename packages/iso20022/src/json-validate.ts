import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { CatalogueEntry } from './catalogue';

/** One JSON Schema violation: a JSON Pointer into the document and what is wrong there. */
export interface JsonIssue {
  readonly path: string;
  readonly message: string;
}

// Made on first use: an instance costs milliseconds a cold start that validates no JSON need not pay.
let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<CatalogueEntry, ValidateFunction>();

/** Validates a JSON form against the entry's JSON Schema, compiled once per entry. */
export function validateJsonForm(entry: CatalogueEntry, document: unknown): JsonIssue[] {
  let validate = compiled.get(entry);
  if (!validate) {
    ajv ??= new Ajv2020({ allErrors: true, strict: true });
    validate = ajv.compile(entry.jsonSchema);
    compiled.set(entry, validate);
  }
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => ({
    path: error.instancePath || '/',
    message: error.params && 'additionalProperty' in error.params ? `${error.message}: ${String(error.params.additionalProperty)}` : (error.message ?? 'invalid'),
  }));
}
