import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshProgram, type Manifest, type Program } from '@mxflow/program-cache';

const readManifest = (cacheDir: string): Manifest => JSON.parse(readFileSync(path.join(cacheDir, 'manifest.json'), 'utf8')) as Manifest;

/** Runs a build's entry with plain node; what it printed. */
const run = (url: string) => {
  const result = spawnSync(process.execPath, [fileURLToPath(url)], { encoding: 'utf8' });
  return `${result.stdout.trim()}${result.stderr.trim()}`;
};

/** The text of every output file of the build: what it holds. */
const buildText = (cacheDir: string) => {
  const { dir } = readManifest(cacheDir);
  return readdirSync(path.join(cacheDir, dir))
    .filter((file) => file.endsWith('.mjs'))
    .map((file) => readFileSync(path.join(cacheDir, dir, file), 'utf8'))
    .join('\n');
};

describe('freshProgram, on a small project of its own', () => {
  let dir: string;
  let program: Program;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mxflow-program-'));
    program = { cacheDir: path.join(dir, 'cache'), entries: { main: path.join(dir, 'entry.ts'), other: path.join(dir, 'other.ts') } };
    writeFileSync(program.entries.main, "import { besideText } from './beside';\nimport { word } from './word';\n\nconsole.log(`${word} ${besideText}`);\n");
    writeFileSync(program.entries.other, "import { word } from './word';\n\nconsole.log(`other ${word}`);\n");
    writeFileSync(path.join(dir, 'word.ts'), "export const word: string = 'one';\n");
    writeFileSync(path.join(dir, 'beside.ts'), "import { readFileSync } from 'node:fs';\n\nexport const besideText = readFileSync(new URL('./data.txt', import.meta.url), 'utf8').trim();\n");
    writeFileSync(path.join(dir, 'data.txt'), 'read beside its source\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds every entry on the first call, and the build reads what lies beside its sources', async () => {
    const first = await freshProgram(program);
    expect(first.built).toBe(true);
    expect(run(first.urls.main)).toBe('one read beside its source');
    expect(run(first.urls.other)).toBe('other one');
    expect(Object.keys(readManifest(program.cacheDir).inputs)).toEqual(expect.arrayContaining([program.entries.main, program.entries.other, path.join(dir, 'word.ts'), path.join(dir, 'beside.ts')]));
  });

  it('reuses the build while no source changed', async () => {
    const before = readManifest(program.cacheDir);
    const again = await freshProgram(program);
    expect(again.built).toBe(false);
    expect(readManifest(program.cacheDir).dir).toBe(before.dir);
  });

  it('reuses the build when a source was touched but not changed, and records its new mtime', async () => {
    const word = path.join(dir, 'word.ts');
    const later = new Date(Date.now() + 60_000);
    utimesSync(word, later, later);
    const again = await freshProgram(program);
    expect(again.built).toBe(false);
    expect(readManifest(program.cacheDir).inputs[word][1]).toBe(statSync(word).mtimeMs);
  });

  it.each([
    ['of another size', "export const word: string = 'three';\n"],
    ['of the same size', "export const word: string = 'two';\n"],
  ])('rebuilds when a source changes to content %s', async (_case, content) => {
    const before = await freshProgram(program);
    writeFileSync(path.join(dir, 'word.ts'), content);
    const after = await freshProgram(program);
    expect(after.built).toBe(true);
    expect(after.urls.main).not.toBe(before.urls.main);
    const word = /'(\w+)'/.exec(content)?.[1];
    expect(run(after.urls.main)).toBe(`${word} read beside its source`);
    expect(run(after.urls.other)).toBe(`other ${word}`);
  });

  it('rebuilds when its build is gone', async () => {
    rmSync(path.join(program.cacheDir, readManifest(program.cacheDir).dir), { recursive: true });
    const again = await freshProgram(program);
    expect(again.built).toBe(true);
    expect(existsSync(fileURLToPath(again.urls.main))).toBe(true);
  });

  it('rebuilds for other entries or options, in the same cache folder', async () => {
    const current = await freshProgram(program);
    const fewer = await freshProgram({ ...program, entries: { main: program.entries.main } });
    expect(fewer.built).toBe(true);
    expect(Object.keys(fewer.urls)).toEqual(['main']);
    expect((await freshProgram({ ...program, sourcemap: true })).built).toBe(true);
    expect(current.built).toBe(false);
  });
});

describe('freshProgram with its dependencies where they are installed', () => {
  let dir: string;
  let program: Program;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mxflow-program-external-'));
    // A CommonJS package that reads a file beside itself, and an ES module one, installed beside the sources.
    const beside = path.join(dir, 'node_modules', 'reads-beside');
    mkdirSync(beside, { recursive: true });
    writeFileSync(path.join(beside, 'package.json'), JSON.stringify({ name: 'reads-beside', main: 'lib/index.js' }));
    mkdirSync(path.join(beside, 'lib'));
    writeFileSync(path.join(beside, 'lib', 'index.js'), "exports.text = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'data.txt'), 'utf8').trim();\n");
    writeFileSync(path.join(beside, 'data.txt'), 'from beside the package\n');
    const esm = path.join(dir, 'node_modules', 'an-esm-package');
    mkdirSync(esm, { recursive: true });
    writeFileSync(path.join(esm, 'package.json'), JSON.stringify({ name: 'an-esm-package', type: 'module', exports: { '.': { import: './index.js' } } }));
    writeFileSync(path.join(esm, 'index.js'), "export const shout = (text) => `${text.toUpperCase()}!`;\n");
    const entry = path.join(dir, 'src', 'entry.ts');
    mkdirSync(path.dirname(entry));
    writeFileSync(entry, "import { text } from 'reads-beside';\nimport { shout } from 'an-esm-package';\n\nconst answer: string = shout(text);\nconsole.log(answer);\n");
    program = { cacheDir: path.join(dir, 'cache'), entries: { main: entry }, dependencies: 'external' };
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports each dependency from where Node resolves it for the module that names it, and bundles none of it', async () => {
    const { urls, built } = await freshProgram(program);
    expect(built).toBe(true);
    expect(run(urls.main)).toBe('FROM BESIDE THE PACKAGE!');
    const text = buildText(program.cacheDir);
    expect(text).toContain(JSON.stringify(path.join(dir, 'node_modules', 'reads-beside', 'lib', 'index.js')));
    expect(text).not.toContain('readFileSync');
    expect(text).not.toContain('toUpperCase');
  });

  it('refuses to build when a dependency does not resolve, naming it and the module that imports it', async () => {
    const broken = path.join(dir, 'src', 'broken.ts');
    writeFileSync(broken, "import { nothing } from 'not-installed-anywhere';\nconsole.log(nothing);\n");
    await expect(freshProgram({ ...program, entries: { broken } })).rejects.toThrow(/not-installed-anywhere, imported by .*broken\.ts, does not resolve/);
  });
});
