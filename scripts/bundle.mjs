#!/usr/bin/env node
// The CLI as bundles, built from tsc's output: `npm run build` runs it after tsc. A start-up of ~350
// small modules (zod alone opens ~100 files, most of them locales nobody uses) becomes a few files,
// tree-shaken. dist/api (the library) stays plain tsc output.
//   - dist/cli/run-<hash>.cjs and chunks/*.cjs: the CLI (src/cli/run.ts), CommonJS, so that bin.cjs
//     can load it with V8's code cache on every Node (src/cli/code-cache.ts). What start-up loads
//     is one chunk (chunks/start-<hash>.cjs: every module the entry imports statically, rolldown's
//     `$initial`); lazily loaded parts (renderers, vendor schemas, zod, picomatch, js-yaml) are
//     chunks of their own, and import what they share with start-up from it.
//   - dist/cli/bin.cjs: the small CommonJS entry that starts it, built with the bundle's name.
// Lazily imported packages stay outside: open (loaded by --open), @redis/client (loaded by runs on
// a shared cache). better-sqlite3's JavaScript is in, code-cached like the rest; its addon is loaded
// through `bindings` from its own package folder (src/core/cache/open-sqlite.ts). So are undici's
// two agents, a chunk of their own (undiciAgentsOnly in bundle-plugins.mjs).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'rolldown';
import {
  builtinsAsNeeded,
  cosmiconfigYamlUnused,
  importThroughLoader,
  isBuiltinAsIs,
  isFsPromises,
  isUndiciAgentsImport,
  segmenterAtFirstUse,
  undiciAgentsOnly,
} from './bundle-plugins.mjs';

const dir = new URL('../dist/cli/', import.meta.url).pathname;
const EXTERNAL = [/^node:/, 'bindings', 'undici', 'open', 'typescript', '@redis/client'];
// A builtin that builtinsAsNeeded hands over itself, or stands in for, is not external to that importer.
const external = (source, importer) =>
  !isBuiltinAsIs(source, importer) &&
  !isFsPromises(source) &&
  !isUndiciAgentsImport(source, importer) &&
  EXTERNAL.some((e) => (typeof e === 'string' ? e === source : e.test(source)));
// The plugin kit's zod (src/services/plugin-zod.ts) is a file of its own, imported by the first
// plugin: zod's whole namespace cannot be tree-shaken, and kept in the main chunk it would be a
// third of what every start-up compiles.
const PLUGIN_ZOD = 'plugin-zod';
// The CLI's version, known when it is built: `prepack` builds, so a package's bundle and its
// package.json never differ. Read at start-up (src/version.ts, as the library still does), it was a
// walk up four folders for package.json before every first request, and every `--version`.
const { name: PACKAGE_NAME, version: PACKAGE_VERSION } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
);
if (PACKAGE_NAME !== 'ti-check' || typeof PACKAGE_VERSION !== 'string')
  throw new Error('package.json: not ti-check');
const versionAtBuild = {
  name: 'version-at-build',
  load: (id) =>
    id.endsWith('/dist/version.js') ? `export const VERSION = ${JSON.stringify(PACKAGE_VERSION)};` : null,
};
// bin.cjs learns the bundle's file name at build time (src/cli/bundle-name.ts).
const BUNDLE_NAME = '/cli/bundle-name.js';
// Every file the CLI runs. Start-up reads the bundle as Latin-1 (src/cli/code-cache.ts), and a
// smaller file faster: non-ASCII characters escaped, comments left to the sources (the source maps
// lead there).
const COMMONJS = { format: 'cjs', charset: 'ascii', comments: false, sourcemap: true };
const checks = {
  // yargs reads import.meta only for `extends` in a yargs config file, which ti-check does not use.
  emptyImportMeta: false,
};

rmSync(`${dir}chunks`, { recursive: true, force: true });
const { output } = await build({
  input: `${dir}run.js`,
  platform: 'node',
  external,
  checks,
  plugins: [
    versionAtBuild,
    cosmiconfigYamlUnused,
    {
      name: 'plugin-zod-apart',
      resolveId: (source) =>
        source.endsWith(`/${PLUGIN_ZOD}.js`) ? { id: `./${PLUGIN_ZOD}.cjs`, external: true } : null,
    },
    segmenterAtFirstUse,
    builtinsAsNeeded,
    undiciAgentsOnly,
    importThroughLoader,
  ],
  logLevel: 'warn',
  output: {
    dir,
    ...COMMONJS,
    entryFileNames: 'run-[hash].cjs',
    chunkFileNames: 'chunks/[name]-[hash].cjs',
    codeSplitting: { groups: [{ name: 'start', tags: ['$initial'] }] },
  },
});
const bundleName = output.find((file) => file.type === 'chunk' && file.isEntry)?.fileName;
if (!bundleName) throw new Error('the CLI bundle has no entry file');
for (const old of readdirSync(dir)) {
  if (/^run-.*\.cjs(\.map)?$/.test(old) && !old.startsWith(bundleName)) rmSync(`${dir}${old}`);
}
await build({
  input: new URL(`../dist/services/${PLUGIN_ZOD}.js`, import.meta.url).pathname,
  platform: 'node',
  external,
  logLevel: 'warn',
  output: { ...COMMONJS, file: `${dir}chunks/${PLUGIN_ZOD}.cjs` },
});
await build({
  input: `${dir}bin.js`,
  platform: 'node',
  external,
  plugins: [
    versionAtBuild,
    {
      name: 'bundle-name',
      load: (id) =>
        id.endsWith(BUNDLE_NAME) ? `export const RUN_BUNDLE = ${JSON.stringify(bundleName)};` : null,
    },
  ],
  logLevel: 'warn',
  output: { ...COMMONJS, file: `${dir}bin.cjs` },
});
// tsc's bin.js is only this build's input: gone, so that nobody runs the half-built program.
rmSync(`${dir}bin.js`);
rmSync(`${dir}bin.js.map`, { force: true });
