/** What a downloaded file is called. */

/** Characters no file name should hold on any system people save to. */
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;

function safeName(name: string | undefined): string | undefined {
  const base = name?.replace(UNSAFE, '_').trim();
  return base && base !== '.' && base !== '..' ? base : undefined;
}

function decodeExtended(value: string): string | undefined {
  // RFC 8187: charset'language'percent-encoded; only UTF-8 is worth reading.
  const match = /^utf-8'[^']*'(.+)$/i.exec(value);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

/**
 * The file name a `Content-Disposition` header gives (RFC 6266): `filename*`
 * (UTF-8) over `filename`, quoted or not, with path separators and other
 * characters unsafe in a file name replaced. `fallback` when it gives none.
 */
export function fileNameOf(contentDisposition: string | null | undefined, fallback: string): string {
  if (!contentDisposition) return fallback;
  const parameters = new Map<string, string>();
  const pattern = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (const [, key, raw] of contentDisposition.matchAll(pattern)) {
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw.trim();
    const name = key.toLowerCase();
    if (!parameters.has(name)) parameters.set(name, value);
  }
  const extended = parameters.has('filename*') ? decodeExtended(parameters.get('filename*') ?? '') : undefined;
  return safeName(extended) ?? safeName(parameters.get('filename')) ?? fallback;
}
