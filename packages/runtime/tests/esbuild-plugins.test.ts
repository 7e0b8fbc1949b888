import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';

const require = createRequire(import.meta.url);
const plugins = require('../serverless/esbuild-plugins.cjs') as Plugin[] & {
  extractWasm(source: string, readExpression: string): { wasm: Uint8Array<ArrayBuffer>; source: string };
};
const here = path.dirname(fileURLToPath(import.meta.url));
// libxml2-wasm, as the package that depends on it resolves it.
const iso20022Modules = path.join(here, '../../iso20022/node_modules');
const loaderPath = path.join(iso20022Modules, 'libxml2-wasm/lib/libxml2raw.mjs');

// A program that validates with libxml2-wasm, as the handlers do: one valid and one invalid instance of a small XSD.
const PROGRAM = `import { XmlDocument, XsdValidator } from 'libxml2-wasm';
const schema = XmlDocument.fromString('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Amt" type="xs:decimal"/></xs:schema>');
const validator = XsdValidator.fromDoc(schema);
const verdict = (xml) => { const doc = XmlDocument.fromString(xml); try { validator.validate(doc); return 'valid'; } catch (error) { return 'invalid: ' + error.message.trim(); } finally { doc.dispose(); } };
console.log(JSON.stringify([verdict('<Amt>1.50</Amt>'), verdict('<Amt>one</Amt>')]));
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mxflow-esbuild-plugins-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function bundle(name: string, withPlugins: boolean, program = PROGRAM, splitting = false): Promise<{ file: string; out: string }> {
  const out = path.join(dir, name);
  const entry = path.join(dir, `${name}.mjs`);
  await writeFile(entry, program);
  await build({
    splitting,
    entryPoints: [entry],
    outdir: out,
    nodePaths: [iso20022Modules],
    bundle: true,
    minify: true,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    target: 'node20',
    banner: { js: "import { createRequire as __mxflowCreateRequire } from 'node:module'; const require = __mxflowCreateRequire(import.meta.url);" },
    plugins: withPlugins ? plugins : [],
    logLevel: 'error',
  });
  return { file: path.join(out, `${name}.mjs`), out };
}

const run = async (file: string): Promise<string> => (await promisify(execFile)(process.execPath, [file], { cwd: here })).stdout.trim();

describe('the esbuild plugins of the service bundles', () => {
  it('puts libxml2-wasm\'s WebAssembly beside the bundle, and the bundle validates exactly as the library does', async () => {
    const plain = await bundle('embedded', false);
    const split = await bundle('beside', true);

    const files = await readdir(split.out);
    const wasmFiles = files.filter((file) => /^libxml2-[A-Z0-9]+\.wasm$/.test(file));
    expect(wasmFiles).toHaveLength(1);
    const wasm = await readFile(path.join(split.out, wasmFiles[0]));
    expect(wasm.subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
    expect(WebAssembly.validate(wasm)).toBe(true);

    // The module left the JavaScript: the bundle shrinks by more than the module's own size.
    const [plainBytes, splitBytes] = await Promise.all([stat(plain.file), stat(split.file)]).then((stats) => stats.map((s) => s.size));
    expect(plainBytes - splitBytes).toBeGreaterThan(wasm.length);
    expect(await readFile(split.file, 'utf8')).not.toContain('\0asm');

    const expected = JSON.parse(await run(plain.file)) as string[];
    expect(expected[0]).toBe('valid');
    expect(expected[1]).toMatch(/^invalid: .*Amt.*decimal/);
    expect(JSON.parse(await run(split.file))).toEqual(expected);
  });

  it('imports node:http through require, so that Node builds no ES module facade of it and loads no undici', async () => {
    // What an AWS SDK request handler does, and whether the builtin's lazy undici getter ran.
    const program = `import { request, STATUS_CODES } from 'node:http';
import * as http from 'http';
console.log(JSON.stringify({ request: typeof request, ok: STATUS_CODES[200], agent: typeof http.Agent, undici: process.moduleLoadList.some((name) => name.includes('undici')) }));
`;
    const facade = JSON.parse(await run((await bundle('http-facade', false, program)).file)) as Record<string, unknown>;
    const required = await bundle('http-required', true, program);
    expect(facade).toEqual({ request: 'function', ok: 'OK', agent: 'function', undici: true });
    expect(JSON.parse(await run(required.file))).toEqual({ request: 'function', ok: 'OK', agent: 'function', undici: false });
    expect(await readFile(required.file, 'utf8')).not.toMatch(/from\s*"(node:)?http"/);
  });

  it('puts a split handler\'s chunks in <handler>.chunks/, where serverless-esbuild packs them with that handler only', async () => {
    const program = "const { gunzipSync } = await import('node:zlib'); const { parse } = await import('./lazy.mjs'); console.log(JSON.stringify(parse(typeof gunzipSync)));\n";
    await writeFile(path.join(dir, 'lazy.mjs'), 'export const parse = (text) => ({ loaded: text });\n');
    const split = await bundle('handler', true, program, true);
    const chunks = await readdir(path.join(split.out, 'handler.chunks'));
    expect(chunks).toEqual([expect.stringMatching(/^lazy-[A-Z0-9]+\.mjs$/)]);
    expect(JSON.parse(await run(split.file))).toEqual({ loaded: 'function' });
  });

  it('takes the module out of the loader unchanged, and refuses a loader of another shape', async () => {
    const source = await readFile(loaderPath, 'utf8');
    const { wasm, source: rewritten } = plugins.extractWasm(source, 'READ()');
    expect(WebAssembly.validate(wasm)).toBe(true);
    expect(rewritten.length).toBeLessThan(source.length - wasm.length / 2);
    expect(rewritten).toMatch(/\?\?=READ\(\)/);

    expect(() => plugins.extractWasm('export default 1;', 'READ()')).toThrow(/found 0/);
    const twice = source.replace(/([A-Za-z_$][\w$]*)\?\?=([A-Za-z_$][\w$]*)\('/, (match) => `x??=y('');${match}`);
    expect(() => plugins.extractWasm(twice, 'READ()')).toThrow(/found 2/);
    const notWasm = source.replace(/\?\?=([A-Za-z_$][\w$]*)\('\0asm/, "??=$1('\\0xsm");
    expect(() => plugins.extractWasm(notWasm, 'READ()')).toThrow(/not a valid WebAssembly module/);
  });
});
