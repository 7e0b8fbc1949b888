/** The archive's top-level prefixes. */
export const ArchiveDirection = {
  incoming: 'incoming',
  outgoing: 'outgoing',
} as const;
/** One of {@link ArchiveDirection}. */
export type ArchiveDirection = (typeof ArchiveDirection)[keyof typeof ArchiveDirection];

/**
 * The archive key of a message: `{direction}/{yyyy}/{mm}/{dd}/{transactionId}/{messageType}.xml`,
 * the date being the UTC date of `at` (ISO 8601).
 */
export function archiveKey(direction: ArchiveDirection, at: string, transactionId: string, messageType: string): string {
  const [yyyy, mm, dd] = at.slice(0, 10).split('-');
  return `${direction}/${yyyy}/${mm}/${dd}/${transactionId}/${messageType}.xml`;
}

/**
 * The archive key of a participant's end-of-day statement:
 * `statements/{yyyy}/{mm}/{dd}/{entityId}/camt.053.{currency}.xml`, the date
 * being the business day it covers (`YYYY-MM-DD`).
 */
export function statementKey(businessDay: string, entityId: string, currency: string): string {
  const [yyyy, mm, dd] = businessDay.split('-');
  return `statements/${yyyy}/${mm}/${dd}/${entityId}/camt.053.${currency}.xml`;
}
