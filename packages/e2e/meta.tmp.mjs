import { build } from 'esbuild';
import { createRequire } from 'node:module';
const plugins = createRequire(import.meta.url)('../runtime/serverless/esbuild-plugins.cjs');
const r = await build({ absWorkingDir: process.cwd(), entryPoints: ['src/handlers/submit-message.ts'], outdir: '/tmp/metaout', bundle: true, minify: true, keepNames: true, format: 'esm', outExtension: { '.js': '.mjs' }, platform: 'node', mainFields: ['module','main'], target: 'node20', metafile: true, plugins, banner: { js: "import { createRequire as __c } from 'node:module'; const require = __c(import.meta.url);" }, logLevel: 'error' });
const out = Object.entries(r.metafile.outputs).find(([k]) => k.endsWith('.mjs'))[1];
const byPkg = new Map();
for (const [f, v] of Object.entries(out.inputs)) {
  const m = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f);
  const k = m ? m[1] : f.replace(/^(\.\.\/)+/, '').split('/').slice(0, 2).join('/');
  byPkg.set(k, (byPkg.get(k) ?? 0) + v.bytesInOutput);
}
let tot = 0; for (const v of byPkg.values()) tot += v;
console.log('total', tot);
for (const [k, v] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(String(v).padStart(9), k);
