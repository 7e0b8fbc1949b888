'use strict';
/**
 * esbuild plugins of every service bundle (shared.yml `esbuild.plugins`;
 * serverless-esbuild requires this file from the service's folder).
 *
 * `libxml2WasmBeside`: libxml2-wasm's Emscripten loader (`libxml2raw.mjs`)
 * carries its WebAssembly inside the JavaScript, as one string literal of
 * about 1 MB that is decoded byte by byte when the module loads. In a bundle
 * that literal is almost half of the source Node must read, decode and parse
 * on every cold start, and the decoding loop comes on top. The plugin takes
 * the bytes out at build time: they become a `.wasm` file in the bundle's
 * folder (esbuild's `file` loader, so the name carries a content hash), and
 * the loader reads that file beside the bundle instead of decoding the
 * string. Nothing else of the library changes. A bundle whose libxml2-wasm no
 * longer has the expected shape fails to build, naming the file, rather than
 * quietly shipping the slow form.
 *
 * `httpByRequire`: an ES module that imports `node:http` makes Node build the
 * builtin's ESM facade, which reads every export of the module, and one of
 * them is a getter that loads Node's bundled undici (about 25 ms of every cold
 * start, for a WebSocket nobody uses). The plugin turns those imports into
 * the bundle's `require` (the banner's `createRequire`), so the module is
 * taken as CommonJS and its getters run only when used.
 *
 * `chunksBesideTheirHandler`: with `splitting` (shared.yml), what a handler
 * imports only dynamically (the X-Ray SDK behind the Tracer, the AWS SDK's
 * credential providers other than the environment's) becomes chunks that a
 * cold start reads only when it needs them. serverless-esbuild builds each
 * handler of a service on its own into one folder, and zips into a
 * function's package every file of it but the other handlers' own files
 * (those named `<handler>.…`). So a handler's chunks are named
 * `<handler>.chunks/…`: each function's zip holds its own chunks and no
 * other's.
 */
const { readFile } = require('node:fs/promises');
const path = require('node:path');
const vm = require('node:vm');

const NAMESPACE = 'mxflow-libxml2-wasm';
/** The Emscripten loader, as libxml2-wasm's package lays it out. */
const LOADER = /[\\/]libxml2-wasm[\\/]lib[\\/]libxml2raw\.mjs$/;
/** Where the loader assigns the embedded module: `<var>??=<decoder>('…')`, the only use of the decoder on a string literal. */
const EMBEDDED = /([A-Za-z_$][\w$]*)\?\?=([A-Za-z_$][\w$]*)\('/g;

/** The end (exclusive) of the single-quoted string literal that starts at `start`, or -1. */
function literalEnd(source, start) {
  for (let index = start + 1; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') index++;
    else if (char === "'") return index + 1;
    else if (char === '\n' || char === '\r') return -1;
  }
  return -1;
}

/**
 * Splits the loader's source into the embedded WebAssembly and the source
 * that reads it from `readExpression` instead.
 * @param {string} source the text of libxml2raw.mjs
 * @param {string} readExpression a JavaScript expression that yields the module's bytes
 * @returns {{ wasm: Uint8Array, source: string }}
 */
function extractWasm(source, readExpression) {
  const found = [...source.matchAll(EMBEDDED)];
  if (found.length !== 1) throw new Error(`expected one embedded WebAssembly module assigned as <var>??=<decoder>('…'), found ${found.length}`);
  const [match] = found;
  const decoder = match[2];
  const literalStart = match.index + match[0].length - 1;
  const end = literalEnd(source, literalStart);
  if (end < 0 || source[end] !== ')') throw new Error('the embedded WebAssembly string literal does not end where expected');
  // The literal alone, evaluated in an empty context: the exact string the loader would decode.
  const text = new vm.Script(source.slice(literalStart, end)).runInNewContext(Object.create(null));
  if (typeof text !== 'string') throw new Error('the embedded WebAssembly is not a string literal');
  // The decoder's own rule (Emscripten's binary string encoding): each UTF-16 unit `c` is the byte `~c >> 8 & c`.
  const decoderBody = new RegExp(`function ${decoder.replace(/\$/g, '\\$')}\\(\\w+\\)\\{for\\(var [^}]*=~(\\w+)>>8&\\1;return \\w+\\}`);
  if (!decoderBody.test(source)) throw new Error(`the decoder ${decoder}() is not the byte-string decoder this plugin knows`);
  const wasm = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    wasm[index] = (~unit >> 8) & unit;
  }
  if (!WebAssembly.validate(wasm)) throw new Error('the embedded bytes are not a valid WebAssembly module');
  return { wasm, source: `${source.slice(0, literalStart - decoder.length - 1)}${readExpression}${source.slice(end + 1)}` };
}

/** The esbuild plugin: libxml2-wasm's WebAssembly as a file beside the bundle. */
function libxml2WasmBeside() {
  return {
    name: 'mxflow-libxml2-wasm-beside',
    setup(build) {
      /** @type {Map<string, Uint8Array>} the module of each loader file, by the loader's path */
      const modules = new Map();
      build.onLoad({ filter: LOADER }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        let extracted;
        try {
          extracted = extractWasm(text, '__mxflowReadFileSync(new URL(__mxflowLibxml2Wasm, import.meta.url))');
        } catch (error) {
          return { errors: [{ text: `${args.path}: ${error.message}` }] };
        }
        // Named libxml2.wasm (esbuild adds the hash), beside the loader it came from.
        const wasmPath = path.join(path.dirname(args.path), 'libxml2.wasm');
        modules.set(wasmPath, extracted.wasm);
        const imports =
          `import __mxflowLibxml2Wasm from ${JSON.stringify(`${NAMESPACE}:${wasmPath}`)};\n` +
          "import { readFileSync as __mxflowReadFileSync } from 'node:fs';\n";
        return { contents: imports + extracted.source, loader: 'js', resolveDir: path.dirname(args.path) };
      });
      build.onResolve({ filter: new RegExp(`^${NAMESPACE}:`) }, (args) => ({ path: args.path.slice(NAMESPACE.length + 1), namespace: NAMESPACE }));
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const wasm = modules.get(args.path);
        if (!wasm) return { errors: [{ text: `no WebAssembly was taken out of a loader beside ${args.path}` }] };
        // The `file` loader writes the bytes into the output folder as libxml2-<hash>.wasm and yields its relative path.
        return { contents: wasm, loader: 'file' };
      });
    },
  };
}

const HTTP_NAMESPACE = 'mxflow-http-by-require';

/** The esbuild plugin: `node:http` and `http` imported through `require`, so that Node builds no ESM facade of it. */
function httpByRequire() {
  return {
    name: HTTP_NAMESPACE,
    setup(build) {
      build.onResolve({ filter: /^(node:)?http$/ }, (args) =>
        // The stand-in's own require stays a plain external builtin.
        args.namespace === HTTP_NAMESPACE ? { path: 'node:http', external: true } : { path: 'node:http', namespace: HTTP_NAMESPACE },
      );
      build.onLoad({ filter: /.*/, namespace: HTTP_NAMESPACE }, () => ({ contents: "module.exports = require('node:http');", loader: 'js' }));
    },
  };
}

/** The esbuild plugin: a split build of one handler puts its chunks in `<handler>.chunks/`. */
function chunksBesideTheirHandler() {
  return {
    name: 'mxflow-chunks-beside-their-handler',
    setup(build) {
      const options = build.initialOptions;
      // A build of one handler file, as serverless-esbuild runs it (`entryPoints: [file]`); other builds name their chunks themselves.
      const entries = options.entryPoints;
      if (!options.splitting || options.chunkNames || !Array.isArray(entries) || entries.length !== 1 || typeof entries[0] !== 'string') return;
      options.chunkNames = `${path.basename(entries[0], path.extname(entries[0]))}.chunks/[name]-[hash]`;
    },
  };
}

module.exports = [libxml2WasmBeside(), httpByRequire(), chunksBesideTheirHandler()];
module.exports.extractWasm = extractWasm;
