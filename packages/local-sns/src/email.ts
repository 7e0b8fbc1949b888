import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One email as the outbox writes it. */
export interface OutboxEmail {
  from: string;
  to: string;
  subject: string;
  body: string;
  date: Date;
  /** Extra header lines, already named (e.g. `X-Amz-Sns-Topic-Arn`). */
  headers?: Record<string, string>;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date-time in UTC, e.g. `Fri, 27 Nov 2026 16:32:27 +0000`. */
export function rfc5322Date(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** RFC 2047 encoded-word for header text outside printable ASCII. */
function headerText(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(flat) ? flat : `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

/**
 * Renders an RFC 5322 message with CRLF line ends. The body is sent 8bit when
 * every line fits the 998-octet limit, otherwise base64 in 76-character lines.
 */
export function renderEmail(email: OutboxEmail, domain: string): string {
  const body = email.body.replace(/\r?\n/g, '\r\n');
  const fits = body.split('\r\n').every((line) => Buffer.byteLength(line, 'utf8') <= 998);
  const encoded = fits
    ? body
    : (Buffer.from(body, 'utf8')
        .toString('base64')
        .match(/.{1,76}/g) ?? []).join('\r\n');
  const headers: Array<[string, string]> = [
    ['From', email.from],
    ['To', email.to],
    ['Subject', headerText(email.subject)],
    ['Date', rfc5322Date(email.date)],
    ['Message-ID', `<${randomUUID()}@${domain}>`],
    ['MIME-Version', '1.0'],
    ['Content-Type', 'text/plain; charset=UTF-8'],
    ['Content-Transfer-Encoding', fits ? '8bit' : 'base64'],
    ...Object.entries(email.headers ?? {}).map(([name, value]): [string, string] => [name, headerText(value)]),
  ];
  return `${headers.map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${encoded}\r\n`;
}

/**
 * Writes the email into `outboxDir` as `<timestamp>-<id>.eml`. The file appears
 * whole (written aside, then renamed), so a watcher never reads half a message.
 *
 * @returns the path of the written file
 */
export async function writeToOutbox(outboxDir: string, email: OutboxEmail, id: string, domain: string): Promise<string> {
  await mkdir(outboxDir, { recursive: true });
  const stamp = email.date.toISOString().replace(/:/g, '-');
  const file = join(outboxDir, `${stamp}-${id}.eml`);
  const temporary = `${file}.tmp`;
  await writeFile(temporary, renderEmail(email, domain));
  await rename(temporary, file);
  return file;
}
