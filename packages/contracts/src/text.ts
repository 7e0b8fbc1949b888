/** The most characters of ISO 20022's `Max105Text`: a response's AddtlInf, the platform's step detail. */
export const MAX_ADDITIONAL_INFO = 105;

/**
 * Words that fit `max` characters: the text itself when it fits, else cut at
 * the last space before the limit with `…` after it, so that no word, id or
 * UUID is cut in two. A single word longer than the limit is the only thing
 * cut inside.
 */
export function fitText(text: string, max: number = MAX_ADDITIONAL_INFO): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  const room = trimmed.slice(0, max); // one character is kept for the ellipsis, and may be the space to cut at
  const space = room.lastIndexOf(' ');
  const cut = space > 0 ? room.slice(0, space) : room.slice(0, max - 1);
  return `${cut.replace(/[\s,;:(–-]+$/u, '')}…`;
}
