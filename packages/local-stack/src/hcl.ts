import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfraDefinitionError } from './errors';

/** One Terraform file, as the JSON that hcl2json makes of it. */
export interface HclFile {
  readonly file: string;
  readonly body: HclBody;
}

/** Top-level blocks of a Terraform file; each labelled block is a list because a label may repeat. */
export interface HclBody {
  readonly terraform?: Record<string, unknown>[];
  readonly variable?: Record<string, Record<string, unknown>[]>;
  readonly output?: Record<string, Record<string, unknown>[]>;
  readonly locals?: Record<string, unknown>[];
  readonly module?: Record<string, Record<string, unknown>[]>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>[]>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>[]>>;
  readonly provider?: Record<string, Record<string, unknown>[]>;
}

/**
 * Where the JSON of each parsed file is kept, by the SHA-1 of the parser's
 * version, the file's name and its content (gitignored with node_modules).
 * hcl2json is Go compiled to WebAssembly: loading it and parsing the
 * platform's files costs about a second of CPU at every start, for files that
 * rarely change.
 */
const parsedCacheDir = path.resolve(fileURLToPath(import.meta.url), '../../../../node_modules/.cache/mxflow-hcl');
/** The installed parser's name and version, part of each cache key. */
let parser: Promise<string> | undefined;
const parserVersion = (): Promise<string> =>
  (parser ??= readFile(createRequire(import.meta.url).resolve('@cdktf/hcl2json/package.json'), 'utf8').then((text) => {
    const { name, version } = JSON.parse(text) as { name: string; version: string };
    return `${name}@${version}`;
  }));

/** The JSON of one file's HCL, from the cache when this content was parsed before. */
async function parseCached(name: string, text: string): Promise<HclBody> {
  const key = createHash('sha1').update(`${await parserVersion()}\0${name}\0${text}`).digest('hex');
  const cached = path.join(parsedCacheDir, `${key}.json`);
  try {
    const body = JSON.parse(await readFile(cached, 'utf8')) as HclBody;
    // Used: the last to be pruned.
    const now = new Date();
    await utimes(cached, now, now).catch(() => undefined);
    return body;
  } catch {
    // Not parsed before (or a cache entry cut short): parse it.
  }
  const { parse } = await import('@cdktf/hcl2json');
  const body = (await parse(name, text)) as HclBody;
  try {
    await mkdir(parsedCacheDir, { recursive: true });
    // Whole or not at all: another start may read it meanwhile.
    const temporary = `${cached}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(temporary, JSON.stringify(body));
    await rename(temporary, cached);
    await pruneParsedCache();
  } catch {
    // A cache that cannot be written only costs the next start the parse.
  }
  return body;
}

/** The most entries the cache keeps: the platform's files and their recent versions, many times over. */
const KEEP_PARSED = 256;

/** Keeps the {@link KEEP_PARSED} entries used last (the tests parse files of their own at every run). */
async function pruneParsedCache(): Promise<void> {
  const names = (await readdir(parsedCacheDir)).filter((entry) => entry.endsWith('.json'));
  if (names.length <= KEEP_PARSED) return;
  const entries = await Promise.all(names.map(async (entry) => ({ entry, used: (await stat(path.join(parsedCacheDir, entry)).catch(() => undefined))?.mtimeMs ?? 0 })));
  entries.sort((a, b) => b.used - a.used);
  await Promise.all(entries.slice(KEEP_PARSED).map(({ entry }) => rm(path.join(parsedCacheDir, entry), { force: true })));
}

/** Parses every `.tf` file of a directory (not recursive). */
export async function parseTerraformDir(dir: string): Promise<HclFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.tf')).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      try {
        return { file, body: await parseCached(name, await readFile(file, 'utf8')) };
      } catch (cause) {
        throw new InfraDefinitionError(`${file}: not valid HCL`, { cause });
      }
    }),
  );
}

/** Merges the blocks of several files of one module into one body. */
export function mergeBodies(files: readonly HclFile[]): HclBody {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const { body } of files) {
    for (const [kind, blocks] of Object.entries(body)) {
      if (Array.isArray(blocks)) {
        merged[kind] = [...((merged[kind] as unknown as unknown[]) ?? []), ...blocks] as never;
      } else {
        merged[kind] = deepMerge(merged[kind] ?? {}, blocks as Record<string, unknown>);
      }
    }
  }
  return merged as HclBody;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] =
      existing && typeof existing === 'object' && !Array.isArray(existing) && value && typeof value === 'object' && !Array.isArray(value)
        ? deepMerge(existing as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

/** Values that `${…}` references resolve to, by reference (`var.name_prefix`, `aws_s3_bucket.this.arn`). */
export type Scope = Readonly<Record<string, unknown>>;

const whole = /^\$\{([A-Za-z_][\w.-]*)\}$/;
const part = /\$\{([^}]*)\}/g;

/**
 * Evaluates the subset of HCL expressions the platform module uses: literals,
 * and references to known values, alone or interpolated into a string. Any
 * other expression is refused with its text, so the local cloud never guesses.
 */
export function evaluate(value: unknown, scope: Scope, where: string): unknown {
  if (typeof value === 'string') {
    const single = whole.exec(value);
    if (single) return lookup(single[1], scope, where);
    return value.replace(part, (_match, ref: string) => {
      const resolved = lookup(ref.trim(), scope, where);
      if (typeof resolved === 'object') throw new InfraDefinitionError(`${where}: cannot interpolate ${ref} (not a scalar)`);
      return String(resolved);
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => evaluate(item, scope, `${where}[${index}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, evaluate(item, scope, `${where}.${key}`)]));
  }
  return value;
}

function lookup(ref: string, scope: Scope, where: string): unknown {
  if (!(ref in scope)) throw new InfraDefinitionError(`${where}: the local cloud cannot evaluate \${${ref}}`);
  return scope[ref];
}

/** The single block of a labelled block list, refusing duplicates. */
export function single<T>(blocks: readonly T[] | undefined, where: string): T {
  if (!blocks || blocks.length !== 1) throw new InfraDefinitionError(`${where}: expected exactly one block`);
  return blocks[0];
}
