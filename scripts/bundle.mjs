#!/usr/bin/env node
// The CLI as one bundle (plus lazily loaded chunks), built from tsc's output: `npm run build` runs
// it after tsc. A start-up of ~350 small modules (zod alone opens ~100 files, most of them locales
// nobody uses) becomes a few files, tree-shaken. dist/api (the library) stays plain tsc output.
// Native and lazily imported packages stay outside: better-sqlite3 (an addon), undici (loaded on
// the first request), open (loaded by --open), @redis/client (loaded by runs on a shared cache).
import { rmSync } from 'node:fs';
import { build } from 'rolldown';

const dir = new URL('../dist/cli/', import.meta.url).pathname;
const external = [/^node:/, 'better-sqlite3', 'undici', 'open', 'typescript', '@redis/client'];
// The plugin kit's zod (src/services/plugin-zod.ts) is a file of its own, imported by the first
// plugin: zod's whole namespace cannot be tree-shaken, and kept in the main chunk it would be a
// third of what every start-up compiles.
const PLUGIN_ZOD = 'plugin-zod.js';
// cosmiconfig's own YAML loader requires js-yaml; ti-check gives it its own YAML loaders, which
// import js-yaml when a YAML config is found (src/config/load.ts). cosmiconfig's require gets an
// empty module, so that js-yaml is a lazily loaded chunk rather than part of every start-up.
const UNUSED_YAML = '\0cosmiconfig-js-yaml-unused';
rmSync(`${dir}chunks`, { recursive: true, force: true });
await build({
  input: `${dir}bin.js`,
  platform: 'node',
  external,
  plugins: [
    {
      name: 'cosmiconfig-yaml-unused',
      resolveId: (source, importer) =>
        source === 'js-yaml' && importer?.includes('/node_modules/cosmiconfig/') ? UNUSED_YAML : null,
      load: (id) => (id === UNUSED_YAML ? 'module.exports = {};' : null),
    },
    {
      name: 'plugin-zod-apart',
      resolveId: (source) =>
        source.endsWith(`/${PLUGIN_ZOD}`) ? { id: `./${PLUGIN_ZOD}`, external: true } : null,
    },
  ],
  logLevel: 'warn',
  output: {
    dir,
    format: 'esm',
    entryFileNames: 'bin.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
});
await build({
  input: new URL(`../dist/services/${PLUGIN_ZOD}`, import.meta.url).pathname,
  platform: 'node',
  external,
  logLevel: 'warn',
  output: { file: `${dir}chunks/${PLUGIN_ZOD}`, format: 'esm', sourcemap: true },
});
