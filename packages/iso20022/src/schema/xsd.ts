import { isGroup, type Facets, type Particle, type TypeDef } from '../model/dsl';
import type { MessageSchema } from './message-schema';

const escapeAttribute = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const occurs = (element: { readonly minOccurs: number; readonly maxOccurs: number | 'unbounded' }): string => `maxOccurs="${element.maxOccurs}" minOccurs="${element.minOccurs}"`;

function facetLines(facets: Facets, indent: string): string[] {
  const lines: string[] = [];
  const add = (facet: string, value: string | number | undefined): void => {
    if (value !== undefined) lines.push(`${indent}<xs:${facet} value="${escapeAttribute(String(value))}"/>`);
  };
  add('length', facets.length);
  add('minLength', facets.minLength);
  add('maxLength', facets.maxLength);
  add('pattern', facets.pattern);
  for (const code of facets.enumeration ?? []) add('enumeration', code);
  add('totalDigits', facets.totalDigits);
  add('fractionDigits', facets.fractionDigits);
  add('minInclusive', facets.minInclusive);
  add('maxInclusive', facets.maxInclusive);
  add('minExclusive', facets.minExclusive);
  add('maxExclusive', facets.maxExclusive);
  return lines;
}

function particleLines(particles: readonly Particle[], indent: string): string[] {
  return particles.flatMap((particle) =>
    isGroup(particle)
      ? [`${indent}<xs:${particle.group} ${occurs(particle)}>`, ...particleLines(particle.particles, `${indent}  `), `${indent}</xs:${particle.group}>`]
      : [`${indent}<xs:element name="${escapeAttribute(particle.name)}" type="${escapeAttribute(particle.type)}" ${occurs(particle)}/>`],
  );
}

function typeLines(name: string, def: TypeDef): string[] {
  const n = escapeAttribute(name);
  switch (def.kind) {
    case 'sequence':
    case 'choice':
      return [
        `  <xs:complexType name="${n}">`,
        `    <xs:${def.kind}>`,
        ...particleLines(def.particles ?? def.elements, '      '),
        `    </xs:${def.kind}>`,
        '  </xs:complexType>',
      ];
    case 'valueWithAttributes':
      return [
        `  <xs:complexType name="${n}">`,
        '    <xs:simpleContent>',
        `      <xs:extension base="${escapeAttribute(def.base)}">`,
        ...def.attributes.map(
          (attribute) =>
            `        <xs:attribute name="${escapeAttribute(attribute.name)}" type="${escapeAttribute(attribute.type)}" use="${attribute.required ? 'required' : 'optional'}"/>`,
        ),
        '      </xs:extension>',
        '    </xs:simpleContent>',
        '  </xs:complexType>',
      ];
    case 'wildcard':
      return [
        `  <xs:complexType name="${n}">`,
        '    <xs:sequence>',
        `      <xs:any namespace="${escapeAttribute(def.namespace)}" processContents="${def.processContents}"/>`,
        '    </xs:sequence>',
        '  </xs:complexType>',
      ];
    case 'simple': {
      const facets = facetLines(def.facets, '      ');
      if (facets.length === 0) return [`  <xs:simpleType name="${n}">`, `    <xs:restriction base="xs:${def.base}"/>`, '  </xs:simpleType>'];
      return [`  <xs:simpleType name="${n}">`, `    <xs:restriction base="xs:${def.base}">`, ...facets, '    </xs:restriction>', '  </xs:simpleType>'];
    }
  }
}

/**
 * The XSD of one message: its global element and only the types reachable from
 * it, in the message namespace with qualified local elements.
 */
export function generateXsd(schema: MessageSchema): string {
  const ns = escapeAttribute(schema.namespace);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xs:schema xmlns="${ns}" xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified" targetNamespace="${ns}">`,
    `  <xs:element name="${escapeAttribute(schema.rootElement)}" type="${escapeAttribute(schema.rootType)}"/>`,
  ];
  for (const [name, def] of schema.types) lines.push(...typeLines(name, def));
  lines.push('</xs:schema>', '');
  return lines.join('\n');
}
