/**
 * The target namespaces a message schema may declare, each ending in the
 * message identifier:
 *
 * - `urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08`, today's ISO 20022 form;
 * - `urn:iso:std:iso:20022:xsd:pain.001.001.01`, the first generation, without `tech:`;
 * - `urn:swift:xsd:sese.023.002.01`, the legacy SWIFT Standards MX form that
 *   some securities versions (sese, semt) still declare, sometimes written with
 *   a `$` before the identifier (`urn:swift:xsd:$pain.008.002.01`).
 */
const messageNamespace = /^(?:urn:iso:std:iso:20022:(?:tech:)?xsd:|urn:swift:xsd:\$?)([a-z]{4}\.\d{3}\.\d{3}\.\d{2})$/;

/**
 * The message identifier (`sese.023.002.01`) of a message namespace in any of
 * its dialects, or `undefined` when `namespace` is not one.
 */
export function messageIdOfNamespace(namespace: string): string | undefined {
  return messageNamespace.exec(namespace)?.[1];
}
