import type { CodecRules, TypeRule } from '../schema/codec-rules';
import { namespacesInScope, type GuardedXml, type ScannedElement } from '../xml/guard';
import { resolveReferences } from '../xml/references';
import { selfContained } from './raw-xml';

/** A message in its JSON form: every value a string, repeating elements arrays, attributes beside `value`. */
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | JsonObject | JsonValue[];

/**
 * The codec rules linked into a tree: each element points at its type's plan,
 * so reading does no lookups by type name, and each complex type knows the
 * slot of every child name.
 */
interface Plan {
  readonly rule: TypeRule;
  readonly elements: readonly { readonly name: string; readonly repeats: boolean; readonly plan: Plan }[];
  readonly slots: ReadonlyMap<string, number>;
}

const plans = new WeakMap<CodecRules, Map<string, Plan>>();

function planOf(rules: CodecRules, typeName: string): Plan {
  let byType = plans.get(rules);
  if (!byType) {
    byType = new Map();
    plans.set(rules, byType);
  }
  const known = byType.get(typeName);
  if (known) return known;
  const rule = rules.types.get(typeName);
  if (!rule) throw new Error(`${rules.messageId}: no codec rule for type ${typeName}`);
  const elements: { name: string; repeats: boolean; plan: Plan }[] = [];
  const plan: Plan = { rule, elements, slots: new Map(rule.kind === 'complex' ? rule.elements.map((element, index) => [element.name, index]) : []) };
  // Registered before its children are linked, so that recursive types resolve to the same plan.
  byType.set(typeName, plan);
  if (rule.kind === 'complex') for (const element of rule.elements) elements.push({ name: element.name, repeats: element.repeats, plan: planOf(rules, element.type) });
  return plan;
}

const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const COLON = 0x3a;
const EQUALS = 0x3d;
const isSpace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;

/** A start tag as read: its local name, its attributes when it has any, and where its content starts. */
interface StartTag {
  localName: string;
  attributes: [string, string][] | undefined;
  selfClosing: boolean;
  end: number;
}

/**
 * Reads the JSON form straight from the text, in one pass driven by the codec
 * plan: no tree is built. The input passed the guard and, on the incoming
 * path, libxml2's parse and validation, so the reader can trust its
 * structure; on text that is not well-formed it still ends, with whatever it
 * could read.
 */
class Reader {
  readonly #text: string;
  /** Namespace scope of the element being read, kept only when the message has wildcard content. */
  readonly #tracksScope: boolean;

  constructor(text: string, tracksScope: boolean) {
    this.#text = text;
    this.#tracksScope = tracksScope;
  }

  /** Reads the start tag whose `<` is at `at`. */
  startTag(at: number): StartTag {
    const text = this.#text;
    const length = text.length;
    let i = at + 1;
    let colon = -1;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (isSpace(code) || code === GT || code === SLASH) break;
      if (code === COLON) colon = i;
      i++;
    }
    const localName = text.slice(colon === -1 ? at + 1 : colon + 1, i);
    let attributes: [string, string][] | undefined;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (code === GT) return { localName, attributes, selfClosing: false, end: i + 1 };
      if (code === SLASH) return { localName, attributes, selfClosing: true, end: text.indexOf('>', i) + 1 || length };
      if (isSpace(code)) {
        i++;
        continue;
      }
      const nameStart = i;
      while (i < length && text.charCodeAt(i) !== EQUALS && !isSpace(text.charCodeAt(i))) i++;
      const name = text.slice(nameStart, i);
      while (i < length && text.charCodeAt(i) !== EQUALS) i++;
      i++;
      while (i < length && isSpace(text.charCodeAt(i))) i++;
      const quote = text[i];
      const close = text.indexOf(quote, i + 1);
      const valueEnd = close === -1 ? length : close;
      (attributes ??= []).push([name, text.slice(i + 1, valueEnd)]);
      i = valueEnd + 1;
    }
    return { localName, attributes, selfClosing: true, end: length };
  }

  /** Skips a comment, processing instruction or CDATA section at `at`; returns the index after it. */
  skipMarkup(at: number): number {
    const text = this.#text;
    let terminator = '?>';
    if (text.charCodeAt(at + 1) === BANG) terminator = text.startsWith('<!--', at) ? '-->' : ']]>';
    const end = text.indexOf(terminator, at + 2);
    return end === -1 ? text.length : end + terminator.length;
  }

  /** Skips the content and end tag of an element whose content starts at `at`; returns the index after its end tag. */
  skipContent(at: number): number {
    const text = this.#text;
    let depth = 1;
    let i = at;
    for (;;) {
      const lt = text.indexOf('<', i);
      if (lt === -1) return text.length;
      const next = text.charCodeAt(lt + 1);
      if (next === SLASH) {
        i = text.indexOf('>', lt) + 1 || text.length;
        if (--depth === 0) return i;
      } else if (next === BANG || next === QUESTION) {
        i = this.skipMarkup(lt);
      } else {
        const tag = this.startTag(lt);
        i = tag.end;
        if (!tag.selfClosing) depth++;
      }
    }
  }

  /** The scope of an element: its parent's, with the declarations of its start tag. */
  scopeOf(tag: StartTag, parent: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
    if (!this.#tracksScope || !tag.attributes) return parent;
    let scope: Map<string, string> | undefined;
    for (const [name, value] of tag.attributes) {
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
      scope ??= new Map(parent);
      scope.set(name === 'xmlns' ? '' : name.slice(6), resolveReferences(value));
    }
    return scope ?? parent;
  }

  /** Reads the element whose start tag is `tag`; `next` receives the index after its end tag. */
  element(plan: Plan, tag: StartTag, scope: ReadonlyMap<string, string>, next: { at: number }): JsonValue {
    const { rule } = plan;
    switch (rule.kind) {
      case 'simple':
        return this.text(tag, next);
      case 'value': {
        const value: JsonObject = { value: this.text(tag, next) };
        if (tag.attributes) {
          for (const attribute of rule.attributes) {
            const found = attributeValue(tag.attributes, attribute.name);
            if (found !== undefined) value[attribute.name] = resolveReferences(found);
          }
        }
        return value;
      }
      case 'wildcard': {
        if (tag.selfClosing) {
          next.at = tag.end;
          return '';
        }
        next.at = this.skipContent(tag.end);
        const content = this.#text.slice(tag.end, this.#text.lastIndexOf('</', next.at - 1)).trim();
        return selfContained(content, this.scopeOf(tag, scope));
      }
      case 'complex':
        return this.complex(plan, tag, this.scopeOf(tag, scope), next);
    }
  }

  /** Text content: text and CDATA in document order, references resolved outside CDATA; child elements are passed over. */
  text(tag: StartTag, next: { at: number }): string {
    if (tag.selfClosing) {
      next.at = tag.end;
      return '';
    }
    const text = this.#text;
    let result = '';
    let i = tag.end;
    for (;;) {
      const lt = text.indexOf('<', i);
      if (lt === -1) {
        next.at = text.length;
        return result + resolveReferences(text.slice(i));
      }
      if (lt > i) result += resolveReferences(text.slice(i, lt));
      const code = text.charCodeAt(lt + 1);
      if (code === SLASH) {
        next.at = text.indexOf('>', lt) + 1 || text.length;
        return result;
      }
      if (code === BANG && text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9);
        result += text.slice(lt + 9, end === -1 ? text.length : end);
        i = end === -1 ? text.length : end + 3;
      } else if (code === BANG || code === QUESTION) {
        i = this.skipMarkup(lt);
      } else {
        const child = this.startTag(lt);
        i = child.selfClosing ? child.end : this.skipContent(child.end);
      }
    }
  }

  /**
   * The children of a complex element, keyed in model order: repeating
   * elements as arrays in document order, the first occurrence of any other,
   * elements the model does not have left out.
   */
  complex(plan: Plan, tag: StartTag, scope: ReadonlyMap<string, string>, next: { at: number }): JsonObject {
    let result: JsonObject = {};
    if (tag.selfClosing) {
      next.at = tag.end;
      return result;
    }
    const text = this.#text;
    const { elements, slots } = plan;
    let last = -1;
    let outOfOrder = false;
    let i = tag.end;
    for (;;) {
      const lt = text.indexOf('<', i);
      if (lt === -1) {
        next.at = text.length;
        break;
      }
      const code = text.charCodeAt(lt + 1);
      if (code === SLASH) {
        next.at = text.indexOf('>', lt) + 1 || text.length;
        break;
      }
      if (code === BANG || code === QUESTION) {
        i = this.skipMarkup(lt);
        continue;
      }
      const child = this.startTag(lt);
      const slot = slots.get(child.localName);
      if (slot === undefined) {
        i = child.selfClosing ? child.end : this.skipContent(child.end);
        continue;
      }
      const element = elements[slot];
      const existing = result[element.name];
      if (existing !== undefined && !element.repeats) {
        // A second occurrence of a single element (not schema-valid) is ignored.
        i = child.selfClosing ? child.end : this.skipContent(child.end);
        continue;
      }
      const value = this.element(element.plan, child, scope, next);
      i = next.at;
      if (!element.repeats) result[element.name] = value;
      else if (existing === undefined) result[element.name] = [value];
      else (existing as JsonValue[]).push(value);
      if (slot < last) outOfOrder = true;
      last = slot;
    }
    if (outOfOrder) {
      const ordered: JsonObject = {};
      for (const element of elements) if (result[element.name] !== undefined) ordered[element.name] = result[element.name];
      result = ordered;
    }
    return result;
  }
}

/** The value of an attribute by local name (prefixes dropped, as for elements). */
function attributeValue(attributes: readonly [string, string][], name: string): string | undefined {
  for (const [qname, value] of attributes) {
    if (qname === name || (qname.endsWith(name) && qname.charCodeAt(qname.length - name.length - 1) === COLON && !qname.startsWith('xmlns:'))) return value;
  }
  return undefined;
}

/** A global element to convert: its codec rules and its place in the guard's outline. */
export interface GlobalElement {
  readonly rules: CodecRules;
  /** The element in the guard's outline: where its start tag is, and the namespaces in scope there. */
  readonly scanned: ScannedElement;
}

/**
 * Reads the JSON form of each global element (`Document`, and `AppHdr` in a
 * wrapper) straight from the text the guard checked, starting at the offset
 * the guard found it at and driven by its codec rules: the message is not
 * parsed a second time.
 */
export function xmlToJson(guarded: GuardedXml, elements: readonly GlobalElement[]): JsonObject[] {
  return elements.map(({ rules, scanned }) => {
    const tracksScope = rules.rawElements.size > 0;
    const reader = new Reader(guarded.text, tracksScope);
    const tag = reader.startTag(scanned.start);
    const scope: ReadonlyMap<string, string> = tracksScope ? namespacesInScope(scanned) : noScope;
    return reader.element(planOf(rules, rules.rootType), tag, scope, { at: 0 }) as JsonObject;
  });
}

const noScope: ReadonlyMap<string, string> = new Map();
