import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnsupportedMessageError, XsdUnsupportedError } from './errors';
import { components, messages } from './model';
import type { Components, MessageDef } from './model/dsl';
import { generateCodecRules, type CodecRules } from './schema/codec-rules';
import { generateJsonSchema, type JsonSchema } from './schema/json-schema';
import { resolveMessage, type MessageSchema } from './schema/message-schema';
import { generateXsd } from './schema/xsd';
import { readXsd } from './schema/xsd-reader';

/**
 * One message known to the catalogue. Its schema artefacts are generated on
 * first use and kept, so that a message whose model is still incomplete does
 * not stop the others from working.
 */
export class CatalogueEntry {
  /** `pacs.008.001.08` */
  readonly messageId: string;
  /** `pacs.008` */
  readonly messageType: string;
  readonly namespace: string;
  /** `builtin` from the model, or `override` from an operator's XSD file. */
  readonly source: 'builtin' | 'override';
  /** File name of an override. */
  readonly origin?: string;
  readonly #definition: MessageDef;
  readonly #components: Components;
  #schema?: MessageSchema;
  #xsd?: string;
  #jsonSchema?: JsonSchema;
  #codec?: CodecRules;

  constructor(definition: MessageDef, components: Components, source: 'builtin' | 'override', origin?: string) {
    this.messageId = definition.id;
    this.messageType = messageTypeOf(definition.id);
    this.namespace = definition.namespace;
    this.source = source;
    this.origin = origin;
    this.#definition = definition;
    this.#components = components;
  }

  /** Global element name: `Document`, or `AppHdr`. */
  get rootElement(): string {
    return this.#definition.rootElement;
  }

  /** @throws ModelIncompleteError when the model lacks a type the message needs. */
  get schema(): MessageSchema {
    return (this.#schema ??= resolveMessage(this.#definition, this.#components));
  }

  /** The generated XSD text. */
  get xsd(): string {
    return (this.#xsd ??= generateXsd(this.schema));
  }

  /** The JSON Schema of the JSON form. */
  get jsonSchema(): JsonSchema {
    return (this.#jsonSchema ??= generateJsonSchema(this.schema));
  }

  /** XML↔JSON rules. */
  get codec(): CodecRules {
    return (this.#codec ??= generateCodecRules(this.schema));
  }
}

/** `pacs.008.001.08` → `pacs.008` */
export const messageTypeOf = (messageId: string): string => messageId.split('.').slice(0, 2).join('.');

/** Schemas keyed by target namespace. */
export class Catalogue {
  readonly #byNamespace: ReadonlyMap<string, CatalogueEntry>;
  readonly #byId: ReadonlyMap<string, CatalogueEntry>;

  constructor(entries: readonly CatalogueEntry[]) {
    this.#byNamespace = new Map(entries.map((entry) => [entry.namespace, entry]));
    this.#byId = new Map(entries.map((entry) => [entry.messageId, entry]));
  }

  /** Every entry, built-in and override. */
  entries(): CatalogueEntry[] {
    return [...this.#byNamespace.values()];
  }

  /** The entry whose target namespace is `namespace`, if any. */
  byNamespace(namespace: string): CatalogueEntry | undefined {
    return this.#byNamespace.get(namespace);
  }

  /** @throws UnsupportedMessageError when no entry has this message identifier. */
  get(messageId: string): CatalogueEntry {
    const entry = this.#byId.get(messageId);
    if (!entry) throw new UnsupportedMessageError(`urn:iso:std:iso:20022:tech:xsd:${messageId}`, `unsupported message '${messageId}'`);
    return entry;
  }
}

const builtinEntries = (): CatalogueEntry[] => Object.values(messages).map((definition) => new CatalogueEntry(definition, components, 'builtin'));

let builtin: Catalogue | undefined;

/** The catalogue of the messages in the model, without overrides. */
export function builtinCatalogue(): Catalogue {
  return (builtin ??= new Catalogue(builtinEntries()));
}

let chosen: Catalogue | undefined;

/**
 * Makes `catalogue` the one every call without a `catalogue` option uses, for
 * the rest of the process: a service loads the operator's schemas once at
 * start-up and every parse, validation and rendering then knows them.
 * `undefined` goes back to the built-in messages.
 */
export function useCatalogue(catalogue: Catalogue | undefined): void {
  chosen = catalogue;
}

/** The catalogue of calls without a `catalogue` option: the one given to {@link useCatalogue}, else the built-in one. */
export function defaultCatalogue(): Catalogue {
  return chosen ?? builtinCatalogue();
}

/** Options of {@link loadCatalogue}. */
export interface CatalogueOptions {
  /**
   * A directory of self-contained XSD files (`*.xsd`), one message each. A file
   * whose target namespace is a built-in message replaces it (a usage
   * guideline such as CBPR+); any other message namespace adds a message: ISO
   * 20022 (`urn:iso:std:iso:20022:tech:xsd:…`, or the first generation's
   * `urn:iso:std:iso:20022:xsd:…`) or legacy SWIFT (`urn:swift:xsd:…`).
   * One message identifier has one namespace.
   */
  readonly overridesDir?: string;
}

/**
 * Builds the catalogue: the built-in messages, then the operator's additions
 * and overrides read from `overridesDir`.
 *
 * @throws XsdUnsupportedError naming the file when an override cannot be read,
 * or declares the identifier of a message the catalogue has in another
 * namespace (`urn:swift:xsd:pacs.008.001.08` beside the built-in
 * `urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08`).
 */
export async function loadCatalogue(options: CatalogueOptions = {}): Promise<Catalogue> {
  const entries = new Map(builtinEntries().map((entry) => [entry.namespace, entry]));
  const byId = new Map([...entries.values()].map((entry) => [entry.messageId, entry]));
  if (options.overridesDir !== undefined) {
    const files = (await readdir(options.overridesDir)).filter((file) => file.endsWith('.xsd')).sort();
    for (const file of files) {
      let definition: MessageDef;
      try {
        definition = readXsd(await readFile(join(options.overridesDir, file), 'utf8'));
      } catch (cause) {
        throw new XsdUnsupportedError(`${file}: ${(cause as Error).message}`, { cause });
      }
      const entry = new CatalogueEntry(definition, {}, 'override', file);
      // Resolve now so that a broken override fails at start-up, not on the first message.
      try {
        void entry.codec;
      } catch (cause) {
        throw new XsdUnsupportedError(`${file}: ${(cause as Error).message}`, { cause });
      }
      // toXml and validateJson find a message by its identifier: two namespaces for one identifier would be ambiguous.
      const other = byId.get(entry.messageId);
      if (other && other.namespace !== entry.namespace) {
        throw new XsdUnsupportedError(
          `${file}: message ${entry.messageId} in namespace ${entry.namespace} is already in the catalogue in namespace ${other.namespace} (${other.origin ?? 'built in'})`,
        );
      }
      entries.set(entry.namespace, entry);
      byId.set(entry.messageId, entry);
    }
  }
  return new Catalogue([...entries.values()]);
}
