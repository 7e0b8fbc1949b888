import { isGroup, type Particle, type SimpleType, type TypeDef } from '../../src/model/dsl';
import type { MessageSchema } from '../../src/schema/message-schema';

/**
 * A smallest instance of a message, made from its model: required elements
 * only, the first branch of every choice, and for each value the first code,
 * a string matching the pattern, or a value of the base type within the
 * bounds. It is meant to be valid and is judged by the original XSD: where
 * the sample misses a facet, both schemas get an invalid instance instead.
 */
export function minimalInstance(schema: MessageSchema): string {
  const typeOf = (name: string): TypeDef | undefined => schema.types.get(name);
  const escape = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

  const simpleValue = (def: SimpleType): string => {
    const { facets } = def;
    if (facets.enumeration?.length) return facets.enumeration[0];
    if (facets.pattern !== undefined) return samplePattern(facets.pattern);
    switch (def.base) {
      case 'decimal':
      case 'integer':
      case 'int':
      case 'long':
      case 'short':
      case 'byte':
      case 'nonNegativeInteger':
      case 'positiveInteger':
      case 'unsignedInt':
      case 'unsignedLong':
      case 'unsignedShort':
      case 'unsignedByte':
      case 'float':
      case 'double':
        return facets.minInclusive ?? facets.maxInclusive ?? '1';
      case 'date':
        return '2026-01-31';
      case 'dateTime':
        return '2026-01-31T10:00:00';
      case 'time':
        return '10:00:00';
      case 'gYear':
        return '2026';
      case 'gYearMonth':
        return '2026-01';
      case 'gMonth':
        return '--01';
      case 'gDay':
        return '---01';
      case 'gMonthDay':
        return '--01-31';
      case 'boolean':
        return 'true';
      case 'base64Binary':
        return 'AAAA';
      case 'hexBinary':
        return '00';
      case 'duration':
        return 'P1D';
      default:
        return 'x'.repeat(Math.max(facets.length ?? facets.minLength ?? 1, 1));
    }
  };

  const valueOf = (name: string): string => {
    const def = typeOf(name);
    if (def?.kind === 'simple') return simpleValue(def);
    if (def?.kind === 'valueWithAttributes') return valueOf(def.base);
    return '';
  };

  const particles = (list: readonly Particle[], choice: boolean, depth: number): string => {
    const chosen = choice ? list.slice(0, 1) : list;
    return chosen
      .map((particle) => {
        const count = choice ? Math.max(particle.minOccurs, 1) : particle.minOccurs;
        if (isGroup(particle)) return Array.from({ length: count }, () => particles(particle.particles, particle.group === 'choice', depth)).join('');
        return Array.from({ length: count }, () => element(particle.name, particle.type, depth + 1)).join('');
      })
      .join('');
  };

  const element = (name: string, type: string, depth: number): string => {
    const def = typeOf(type);
    if (!def || depth > 40) return `<${name}/>`;
    switch (def.kind) {
      case 'simple':
        return `<${name}>${escape(simpleValue(def))}</${name}>`;
      case 'valueWithAttributes': {
        const attributes = def.attributes
          .filter((attribute) => attribute.required)
          .map((attribute) => ` ${attribute.name}="${escape(valueOf(attribute.type))}"`)
          .join('');
        return `<${name}${attributes}>${escape(valueOf(def.base))}</${name}>`;
      }
      case 'wildcard':
        return `<${name}><x:Any xmlns:x="urn:example:any">1</x:Any></${name}>`;
      case 'sequence':
      case 'choice':
        return `<${name}>${particles(def.particles ?? def.elements, def.kind === 'choice', depth)}</${name}>`;
    }
  };

  const xml = element(schema.rootElement, schema.rootType, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml.replace(/^<([^\s>/]+)/, `<$1 xmlns="${escape(schema.namespace)}"`)}\n`;
}

/**
 * A string matching an XSD pattern: each quantified atom repeated its minimum
 * number of times, the first alternative of each group, the first character
 * of each class.
 */
export function samplePattern(pattern: string): string {
  let at = 0;
  const alternatives = (): string => {
    const first = sequence();
    while (pattern[at] === '|') {
      at++;
      sequence();
    }
    return first;
  };
  const sequence = (): string => {
    let out = '';
    while (at < pattern.length && pattern[at] !== '|' && pattern[at] !== ')') {
      const atom = atomValue();
      const times = quantifier();
      out += atom.repeat(times);
    }
    return out;
  };
  const quantifier = (): number => {
    const char = pattern[at];
    if (char === '?' || char === '*') {
      at++;
      return 0;
    }
    if (char === '+') {
      at++;
      return 1;
    }
    if (char === '{') {
      const end = pattern.indexOf('}', at);
      const min = Number(pattern.slice(at + 1, end).split(',')[0]);
      at = end + 1;
      return min;
    }
    return 1;
  };
  const escaped = (char: string): string => {
    switch (char) {
      case 'd':
        return '0';
      case 's':
        return ' ';
      case 'w':
      case 'i':
      case 'c':
        return 'a';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'p':
      case 'P': {
        at = pattern.indexOf('}', at) + 1;
        return 'a';
      }
      default:
        return char;
    }
  };
  const atomValue = (): string => {
    const char = pattern[at++];
    if (char === '(') {
      const value = alternatives();
      at++;
      return value;
    }
    if (char === '[') return classValue();
    if (char === '\\') return escaped(pattern[at++]);
    if (char === '.') return 'a';
    return char;
  };
  const classValue = (): string => {
    const negated = pattern[at] === '^';
    if (negated) at++;
    const start = at;
    let depth = 1;
    while (at < pattern.length && depth > 0) {
      if (pattern[at] === '\\') at++;
      else if (pattern[at] === '[') depth++;
      else if (pattern[at] === ']') depth--;
      at++;
    }
    const body = pattern.slice(start, at - 1);
    if (!negated) return body[0] === '\\' ? escaped(body[1]) : body[0];
    const allowed = (candidate: string): boolean => !new RegExp(`[${body}]`, 'u').test(candidate);
    return ['a', 'A', '0', 'x', ' '].find(allowed) ?? 'a';
  };
  return alternatives();
}
