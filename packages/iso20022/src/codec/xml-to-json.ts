import { XMLParser } from 'fast-xml-parser';
import type { CodecRules, TypeRule } from '../schema/codec-rules';
import { elementAt, outlineOf, type GuardedXml, type ScannedElement } from '../xml/guard';
import { resolveReferences } from '../xml/references';
import { rawElementScopes, selfContained } from './raw-xml';

/** A message in its JSON form: every value a string, repeating elements arrays, attributes beside `value`. */
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | JsonObject | JsonValue[];

const TEXT = '#text';
const CDATA = '#cdata';
const ATTRIBUTES = ':@';
const ATTRIBUTE_PREFIX = '@_';

const parsers = new Map<string, XMLParser>();

/**
 * A fast-xml-parser configured for the JSON form: no number or boolean
 * parsing, namespace prefixes dropped (the namespace was checked during
 * detection), elements with wildcard content kept as raw XML text, and the
 * output in document order (`preserveOrder`), which the codec shapes itself.
 *
 * Entities are left to {@link resolveReferences}: one pass, so nothing is
 * decoded twice, and CDATA sections (kept apart under `#cdata`) are never decoded.
 */
export function parserFor(rawElements: Iterable<string>): XMLParser {
  const names = [...new Set(rawElements)].sort();
  const key = names.join(',');
  let parser = parsers.get(key);
  if (!parser) {
    parser = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: ATTRIBUTE_PREFIX,
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      processEntities: false,
      htmlEntities: false,
      cdataPropName: CDATA,
      // Returning nothing keeps each text as the parser read it, without the
      // trim and value-parsing checks it would otherwise run on every text node.
      tagValueProcessor: () => undefined,
      ignoreDeclaration: true,
      ignorePiTags: true,
      // Stop nodes cost a path match per element, so they are set only for names the input has.
      stopNodes: names.map((name) => `*.${name}`),
    });
    parsers.set(key, parser);
  }
  return parser;
}

/** A node of the parser's ordered output: `{ Name: children, ':@'?: attributes }`, `{ '#text': … }` or `{ '#cdata': [{ '#text': … }] }`. */
type OrderedNode = Record<string, unknown>;

/** The name of an ordered node: its first key, since the parser writes the name before `:@`. */
function nameOf(node: OrderedNode): string | undefined {
  for (const key in node) return key;
  return undefined;
}

/** Text content of an element: its text and CDATA children in document order, references resolved outside CDATA. */
function textOf(children: readonly OrderedNode[] | undefined): string {
  if (!children) return '';
  let text = '';
  for (const child of children) {
    const value = child[TEXT];
    if (value !== undefined) text += resolveReferences(String(value));
    else if (child[CDATA] !== undefined) text += rawTextOf(child[CDATA] as OrderedNode[]);
  }
  return text;
}

/** Text children as they are: the content of a stop node (raw XML) or of a CDATA section. */
function rawTextOf(children: readonly OrderedNode[] | undefined): string {
  if (!children) return '';
  let text = '';
  for (const child of children) {
    const value = child[TEXT];
    if (value !== undefined) text += String(value);
  }
  return text;
}

/**
 * The codec rules linked into a tree: each element points at its type's plan,
 * so shaping does no lookups by type name, and each complex type knows the
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

type Scopes = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** What a conversion needs beside the tree: wildcard scopes, and the names the parser kept as raw text. */
interface Context {
  readonly scopes: Scopes;
  /** Stop-node names: raw text for wildcard content, to be parsed again where the same name holds structured content. */
  readonly stopped: ReadonlySet<string>;
  readonly parser: XMLParser;
}

/**
 * Reads one element. `path` (local names with per-name indices) is only
 * built when the message has wildcard content, whose namespace scope it keys.
 */
function read(plan: Plan, children: OrderedNode[] | undefined, attributes: Record<string, unknown> | undefined, path: string | undefined, context: Context): JsonValue {
  const { rule } = plan;
  switch (rule.kind) {
    case 'simple':
      return textOf(children);
    case 'wildcard': {
      const scope = path === undefined ? undefined : context.scopes.get(path);
      const content = rawTextOf(children).trim();
      return scope ? selfContained(content, scope) : content;
    }
    case 'value': {
      const value: JsonObject = { value: textOf(children) };
      if (attributes) {
        for (const attribute of rule.attributes) {
          const found = attributes[ATTRIBUTE_PREFIX + attribute.name];
          if (found !== undefined) value[attribute.name] = resolveReferences(String(found));
        }
      }
      return value;
    }
    case 'complex':
      return readInOrder(plan, children, path, context) ?? readAnyOrder(plan, children, path, context);
  }
}

/** Reads one child element at its index among the same-name children. */
function readChild(element: Plan['elements'][number], node: OrderedNode, index: number, path: string | undefined, context: Context): JsonValue {
  const childPath = path === undefined ? undefined : `${path}/${element.name}[${index}]`;
  let children = node[element.name] as OrderedNode[];
  if (element.plan.rule.kind !== 'wildcard' && context.stopped.has(element.name)) {
    // The name also holds wildcard content elsewhere in the message, so the parser kept this one as raw text too.
    const reparsed = context.parser.parse(`<${element.name}>${rawTextOf(children)}</${element.name}>`) as OrderedNode[];
    children = reparsed[0]?.[element.name] as OrderedNode[];
  }
  return read(element.plan, children, node[ATTRIBUTES] as Record<string, unknown> | undefined, childPath, context);
}

/**
 * Reads the children of a complex element that come in model order, as a
 * schema-valid message's do: keys are written as the children come. Returns
 * undefined at the first child out of order, for {@link readAnyOrder}.
 */
function readInOrder(plan: Plan, children: readonly OrderedNode[] | undefined, path: string | undefined, context: Context): JsonObject | undefined {
  const { elements, slots } = plan;
  const result: JsonObject = {};
  if (!children) return result;
  let last = -1;
  let list: JsonValue[] = [];
  for (const child of children) {
    const name = nameOf(child);
    if (name === undefined) continue;
    const slot = slots.get(name);
    if (slot === undefined) continue;
    if (slot < last) return undefined;
    const element = elements[slot];
    if (element.repeats) {
      if (slot !== last) {
        list = [];
        result[name] = list;
      }
      list.push(readChild(element, child, list.length, path, context));
    } else if (slot !== last) {
      // A second occurrence of a single element (not schema-valid) is ignored, as in any order.
      result[name] = readChild(element, child, 0, path, context);
    }
    last = slot;
  }
  return result;
}

/** Reads the children of a complex element in any order: grouped by the model's slots, so keys come out in model order. */
function readAnyOrder(plan: Plan, children: readonly OrderedNode[] | undefined, path: string | undefined, context: Context): JsonObject {
  const { elements, slots } = plan;
  const found: (OrderedNode | OrderedNode[] | undefined)[] = new Array(elements.length);
  for (const child of children ?? []) {
    const name = nameOf(child);
    if (name === undefined) continue;
    const slot = slots.get(name);
    if (slot === undefined) continue;
    const existing = found[slot];
    if (existing === undefined) found[slot] = elements[slot].repeats ? [child] : child;
    else if (Array.isArray(existing)) existing.push(child);
  }
  const result: JsonObject = {};
  for (let slot = 0; slot < elements.length; slot++) {
    const nodes = found[slot];
    if (nodes === undefined) continue;
    const element = elements[slot];
    result[element.name] = Array.isArray(nodes) ? nodes.map((node, index) => readChild(element, node, index, path, context)) : readChild(element, nodes, 0, path, context);
  }
  return result;
}

const isBlank = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;

/**
 * The XML without the whitespace between tags that the JSON form ignores:
 * fast-xml-parser's time grows with every character and text node it sees.
 * A blank run is dropped when it follows a tag (an end tag, an empty-element
 * tag, or a start tag followed by another start tag): it then sits between
 * elements, where an element of complex type ignores it and an element of
 * simple type cannot be schema-valid. A run that is an element's whole
 * content (`<Nm> </Nm>`) is kept. A `>` is taken for the end of a tag only
 * when it is the first one after the last `<`; any other (in text, in an
 * attribute value) leaves the run as it is.
 *
 * Only for content without comments, PIs and CDATA (whose text may hold
 * `>` and `<`) and without wildcard content (kept as raw XML, whitespace included).
 */
export function withoutBlankRuns(xml: string): string {
  let result = '';
  let copied = 0;
  // The last `<` before the current `>`, found going forward (`lastIndexOf` searches backwards, slowly).
  let lt = -1;
  let nextLt = xml.indexOf('<');
  let gt = xml.indexOf('>');
  while (gt !== -1) {
    let end = gt + 1;
    while (end < xml.length && isBlank(xml.charCodeAt(end))) end++;
    if (end > gt + 1 && xml.charCodeAt(end) === 0x3c) {
      while (nextLt !== -1 && nextLt < gt) {
        lt = nextLt;
        nextLt = xml.indexOf('<', nextLt + 1);
      }
      const tagEnd = lt !== -1 && xml.indexOf('>', lt) === gt;
      const afterEndOrEmptyTag = xml.charCodeAt(lt + 1) === 0x2f || xml.charCodeAt(gt - 1) === 0x2f;
      const beforeEndTag = xml.charCodeAt(end + 1) === 0x2f;
      if (tagEnd && (afterEndOrEmptyTag || !beforeEndTag)) {
        result += xml.slice(copied, gt + 1);
        copied = end;
      }
    }
    gt = xml.indexOf('>', end);
  }
  return copied === 0 ? xml : result + xml.slice(copied);
}

/** A global element to convert: its codec rules and its place in the guard's outline. */
export interface GlobalElement {
  readonly rules: CodecRules;
  /** The element in the guard's outline: it gives wildcard content its namespace context. */
  readonly scanned: ScannedElement;
}

/**
 * Parses the XML once and shapes the content of each global element
 * (`Document`, and `AppHdr` in a wrapper) by its codec rules, in the order
 * given. `wrappers` are the local names of the wrapper elements from the
 * root down, if any.
 */
export function xmlToJson(guarded: GuardedXml, wrappers: readonly string[] | undefined, elements: readonly GlobalElement[]): JsonObject[] {
  const scopes = elements.map(({ rules, scanned }) => scopesOf(guarded, scanned, rules.rawElements));
  const rawNames = elements.flatMap(({ rules }, index) => (scopes[index].size > 0 ? [...rules.rawElements] : []));
  const xml = rawNames.length === 0 && !guarded.markupInContent ? withoutBlankRuns(guarded.text) : guarded.text;
  const parser = parserFor(rawNames);
  const stopped = new Set(rawNames);
  const top = parser.parse(xml) as OrderedNode[];
  let container: OrderedNode[] | undefined = top;
  for (const wrapper of wrappers ?? []) container = orderedChild(container, wrapper)?.[wrapper] as OrderedNode[] | undefined;
  return elements.map(({ rules, scanned }, index) => {
    const node = orderedChild(container, scanned.localName);
    const children = node?.[scanned.localName] as OrderedNode[] | undefined;
    return read(planOf(rules, rules.rootType), children, undefined, scopes[index].size > 0 ? '' : undefined, { scopes: scopes[index], stopped, parser }) as JsonObject;
  });
}

const noScopes: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map();

/**
 * Namespace scopes of the wildcard elements under a global element. They need
 * the outline of every element, which the guard does not keep: it is built
 * only when the text mentions a wildcard element's name at all, as few
 * messages do.
 */
function scopesOf(guarded: GuardedXml, scanned: ScannedElement, rawElements: ReadonlySet<string>): ReadonlyMap<string, ReadonlyMap<string, string>> {
  let mentioned = false;
  for (const name of rawElements) if (guarded.text.includes(name)) mentioned = true;
  if (!mentioned) return noScopes;
  const root = outlineOf(guarded);
  return rawElementScopes(elementAt(root, scanned.start) ?? root, rawElements);
}

/** The first node of an ordered node list named `name`. */
function orderedChild(nodes: readonly OrderedNode[] | undefined, name: string): OrderedNode | undefined {
  return nodes?.find((node) => nameOf(node) === name);
}
