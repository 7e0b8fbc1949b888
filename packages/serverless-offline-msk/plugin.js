// @ts-check
// The Serverless CLI loads plugins with plain Node (osls `require`s them, falling
// back to `import`), so this entry is JavaScript without top-level await (Node 20's
// require of ES modules refuses it). The plugin itself is TypeScript: it runs from an
// esbuild build of src/plugin.ts (its dependencies stay where pnpm installed them),
// remade only when a source changed (@mxflow/program-cache). Nothing else in the CLI
// process is compiled.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshProgram, repoRoot } from '@mxflow/program-cache';

/** @typedef {import('./src/plugin').ServerlessOfflineMsk} Implementation */

/** The plugin's program: src/plugin.ts, built into a cache folder of its own. */
const program = {
  cacheDir: path.join(repoRoot, 'node_modules/.cache/mxflow-offline-msk'),
  entries: { plugin: fileURLToPath(new URL('./src/plugin.ts', import.meta.url)) },
  dependencies: /** @type {const} */ ('external'),
};

/**
 * The plugin module, loaded once per process: a process that hosts several
 * services (the local platform's services host) loads the plugin and its Kafka
 * client once, not per service.
 * @type {Promise<typeof import('./src/plugin')> | undefined}
 */
let implementation;

export default class ServerlessOfflineMskEntry {
  /** @type {Implementation | undefined} */
  #impl;
  /** @type {ConstructorParameters<typeof import('./src/plugin').ServerlessOfflineMsk>} */
  #args;

  /**
   * @param {import('./src/plugin').ServerlessLike} serverless
   * @param {Record<string, unknown>} options
   * @param {{ log?: import('./src/source').PluginLog }} [utils]
   */
  constructor(serverless, options, utils) {
    this.#args = [serverless, options, utils];
    // Serverless reads the hook names right after construction; the bodies load the plugin lazily.
    /** @param {string} name */
    const delegate = (name) => async () => {
      const impl = await this.asyncInit();
      await impl.hooks[name]?.();
    };
    this.hooks = Object.fromEntries(
      ['before:offline:start:ready', 'before:offline:start:end', 'before:offline:start'].map((name) => [name, delegate(name)]),
    );
  }

  /** Serverless awaits this after constructing every plugin. */
  async asyncInit() {
    if (!this.#impl) {
      /** @type {typeof import('./src/plugin')} */
      const mod = await (implementation ??= freshProgram(program).then(({ urls }) => import(urls.plugin)));
      this.#impl = new mod.ServerlessOfflineMsk(...this.#args);
    }
    return this.#impl;
  }
}
