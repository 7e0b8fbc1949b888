import type { SnsApiError } from './errors';

/** The namespace of every SNS Query API response. */
export const SNS_XML_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[char]};`);
}

/** `<name>text</name>` with the text escaped. */
export function element(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** `<Attributes><entry><key/><value/></entry>…</Attributes>` */
export function attributeMap(name: string, map: Record<string, string>): string {
  const entries = Object.entries(map)
    .map(([key, value]) => `<entry>${element('key', key)}${element('value', value)}</entry>`)
    .join('');
  return `<${name}>${entries}</${name}>`;
}

/** Wraps a result in `<ActionResponse>` with `<ActionResult>` and `<ResponseMetadata>`. */
export function actionResponse(action: string, requestId: string, result: string | undefined): string {
  const body = result === undefined ? '' : `<${action}Result>${result}</${action}Result>`;
  return (
    `<?xml version="1.0"?>\n<${action}Response xmlns="${SNS_XML_NAMESPACE}">${body}` +
    `<ResponseMetadata>${element('RequestId', requestId)}</ResponseMetadata></${action}Response>\n`
  );
}

/** The `<ErrorResponse>` document SNS answers with. */
export function errorResponse(error: SnsApiError, requestId: string): string {
  return (
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${SNS_XML_NAMESPACE}"><Error>` +
    `${element('Type', error.faultType)}${element('Code', error.code)}${element('Message', error.message)}` +
    `</Error>${element('RequestId', requestId)}</ErrorResponse>\n`
  );
}
