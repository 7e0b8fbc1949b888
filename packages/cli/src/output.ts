/**
 * How the platform commands print an answer: readable text by default, the
 * JSON itself with `--json`. The text is a list of `key  value` lines, and a
 * table for a list of items, so that it reads in a terminal and greps in a pipe.
 */

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A dead letter's record value is the Kafka record as the consumer got it: a
 * JSON text. It is shown as the JSON it holds, not as an escaped string.
 */
export function withParsedValues(body: unknown): unknown {
  const parsed = (letter: unknown): unknown => {
    if (!isRecord(letter) || typeof letter.value !== 'string') return letter;
    try {
      return { ...letter, value: JSON.parse(letter.value) as unknown };
    } catch {
      return letter;
    }
  };
  if (isRecord(body) && Array.isArray(body.items)) return { ...body, items: body.items.map(parsed) };
  return parsed(body);
}

/** A scalar as a cell: strings bare, arrays joined with commas, objects as compact JSON. */
function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => !isRecord(item) && !Array.isArray(item))) return value.map(cell).join(',');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** An object of scalars (and lists of scalars), such as an amount: shown as dotted keys; anything deeper stays JSON. */
const isShallow = (value: Record<string, unknown>): boolean =>
  Object.keys(value).length > 0 && Object.values(value).every((item) => !isRecord(item) && !(Array.isArray(item) && item.some((element) => typeof element === 'object' && element !== null)));

/** The entries of an object, a shallow one flattened to dotted keys (`amount.value`); links are left out, they are for programs. */
function flattened(value: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(value).flatMap(([key, item]): [string, unknown][] => {
    if (key === 'links' && prefix === '') return [];
    return isRecord(item) && isShallow(item) ? flattened(item, `${prefix}${key}.`) : [[`${prefix}${key}`, item]];
  });
}

/** Rows of objects as a table: one column per key any row has (flattened), in first-seen order. */
export function table(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)\n';
  const flat = rows.map((row) => new Map(flattened(row).map(([key, value]) => [key, cell(value)] as const)));
  const columns = [...new Set(flat.flatMap((row) => [...row.keys()]))];
  const widths = columns.map((column) => Math.max(column.length, ...flat.map((row) => (row.get(column) ?? '').length)));
  const line = (cells: readonly string[]): string => `${cells.map((text, index) => (index === cells.length - 1 ? text : text.padEnd(widths[index] ?? 0))).join('  ')}`.trimEnd();
  return `${[line(columns), ...flat.map((row) => line(columns.map((column) => row.get(column) ?? '')))].join('\n')}\n`;
}

/**
 * An answer as text: an object as aligned `key  value` lines (a nested list of
 * objects as an indented table after them), a list as a table.
 */
export function textOf(value: unknown): string {
  if (Array.isArray(value)) return table(value.filter(isRecord));
  if (!isRecord(value)) return `${cell(value)}\n`;
  const lists = Object.entries(value).filter((entry): entry is [string, Record<string, unknown>[]] => Array.isArray(entry[1]) && entry[1].length > 0 && entry[1].every(isRecord));
  const listed = new Set(lists.map(([key]) => key));
  const all = flattened(Object.fromEntries(Object.entries(value).filter(([key]) => !listed.has(key))));
  // A nested document (a dead letter's record value) comes last, as indented JSON.
  const deep = all.filter(([, item]) => isRecord(item) && Object.keys(item).length > 0);
  const pairs = all.filter((pair) => !deep.includes(pair));
  const width = Math.max(0, ...pairs.map(([key]) => key.length));
  let text = pairs.map(([key, item]) => `${key.padEnd(width)}  ${cell(item)}`.trimEnd()).join('\n');
  if (text) text += '\n';
  for (const [key, item] of deep) text += `${text ? '\n' : ''}${key}:\n${JSON.stringify(item, null, 2).replace(/^/gm, '  ')}\n`;
  for (const [key, rows] of lists) {
    const body = table(rows)
      .split('\n')
      .map((row) => (row ? `  ${row}` : row))
      .join('\n');
    text += `${text ? '\n' : ''}${key}:\n${body}`;
  }
  return text || '(empty)\n';
}

/** A transaction as the Status API shows it, as text: its state, then one line per step. */
export function transactionText(transaction: Record<string, unknown>): string {
  const status = [transaction.status, typeof transaction.answer === 'string' && transaction.answer !== transaction.status ? transaction.answer : undefined, transaction.final === true ? '(final)' : undefined]
    .filter(Boolean)
    .join(' ');
  const shown: Record<string, unknown> = { ...transaction, status };
  for (const key of ['answer', 'final', 'steps']) delete shown[key];
  return textOf({ ...shown, ...(Array.isArray(transaction.steps) ? { steps: transaction.steps } : {}) });
}
