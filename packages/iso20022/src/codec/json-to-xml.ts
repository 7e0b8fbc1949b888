import { JsonShapeError } from '../errors';
import type { CodecRules } from '../schema/codec-rules';

// Characters XML 1.0 cannot carry at all, even as references.
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function escapeText(value: string, path: string): string {
  if (forbidden.test(value)) throw new JsonShapeError(path, 'contains a character XML cannot carry');
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function escapeAttribute(value: string, path: string): string {
  return escapeText(value, path).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function scalar(value: unknown, path: string): string {
  if (typeof value !== 'string') {
    throw new JsonShapeError(path, `expected a string, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  }
  return value;
}

function write(rules: CodecRules, typeName: string, name: string, value: unknown, indent: string, out: string[], path: string): void {
  const rule = rules.types.get(typeName);
  if (!rule) throw new Error(`${rules.messageId}: no codec rule for type ${typeName}`);
  switch (rule.kind) {
    case 'simple':
      out.push(`${indent}<${name}>${escapeText(scalar(value, path), path)}</${name}>`);
      return;
    case 'wildcard':
      // Raw XML of the wildcard element, written back as it was read.
      out.push(`${indent}<${name}>${scalar(value, path)}</${name}>`);
      return;
    case 'value': {
      if (!isRecord(value)) throw new JsonShapeError(path, 'expected an object with "value" and its attributes');
      const allowed = new Set(['value', ...rule.attributes.map((attribute) => attribute.name)]);
      const unknown = Object.keys(value).find((key) => !allowed.has(key));
      if (unknown !== undefined) throw new JsonShapeError(`${path}/${unknown}`, 'is not an attribute of this element');
      const attributes = rule.attributes
        .filter((attribute) => value[attribute.name] !== undefined)
        .map((attribute) => ` ${attribute.name}="${escapeAttribute(scalar(value[attribute.name], `${path}/@${attribute.name}`), path)}"`)
        .join('');
      out.push(`${indent}<${name}${attributes}>${escapeText(scalar(value.value, `${path}/value`), path)}</${name}>`);
      return;
    }
    case 'complex': {
      if (!isRecord(value)) throw new JsonShapeError(path, 'expected an object');
      const unknown = Object.keys(value).find((key) => !rule.byName.has(key));
      if (unknown !== undefined) throw new JsonShapeError(`${path}/${unknown}`, `is not an element of ${typeName}`);
      const children: string[] = [];
      for (const element of rule.elements) {
        const child = value[element.name];
        if (child === undefined) continue;
        const childPath = `${path}/${element.name}`;
        if (element.repeats) {
          if (!Array.isArray(child)) throw new JsonShapeError(childPath, 'repeats, so it must be an array');
          child.forEach((item, index) => write(rules, element.type, element.name, item, `${indent}  `, children, `${childPath}[${index}]`));
        } else {
          write(rules, element.type, element.name, child, `${indent}  `, children, childPath);
        }
      }
      if (children.length === 0) out.push(`${indent}<${name}/>`);
      else out.push(`${indent}<${name}>`, ...children, `${indent}</${name}>`);
      return;
    }
  }
}

/**
 * Writes the JSON form of a message's global element as XML: elements in the
 * schema's order whatever the key order, the message namespace as the
 * default namespace, text escaped.
 *
 * @throws JsonShapeError naming the path of an unknown key or a value of the wrong shape.
 */
export function writeGlobalElement(rules: CodecRules, content: unknown, indent = ''): string {
  const out: string[] = [];
  write(rules, rules.rootType, rules.rootElement, content, indent, out, `/${rules.rootElement}`);
  out[0] = out[0].replace(new RegExp(`^(\\s*<${rules.rootElement})`), `$1 xmlns="${escapeAttribute(rules.namespace, '/')}"`);
  return out.join('\n');
}
