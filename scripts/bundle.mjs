#!/usr/bin/env node
// The CLI as bundles, built from tsc's output: `npm run build` runs it after tsc. A start-up of ~350
// small modules (zod alone opens ~100 files, most of them locales nobody uses) becomes a few files,
// tree-shaken. dist/api (the library) stays plain tsc output.
//   - dist/cli/run-<hash>.cjs and chunks/*.cjs: the CLI (src/cli/run.ts), CommonJS, so that bin.cjs
//     can load it with V8's code cache on every Node (src/cli/code-cache.ts). Lazily loaded parts
//     (renderers, vendor schemas, picomatch, js-yaml) are chunks of their own.
//   - dist/cli/bin.cjs: the small CommonJS entry that starts it, built with the bundle's name.
// Native and lazily imported packages stay outside: better-sqlite3 (an addon), undici (loaded on
// the first request), open (loaded by --open), @redis/client (loaded by runs on a shared cache).
import { readdirSync, rmSync } from 'node:fs';
import { build, RolldownMagicString } from 'rolldown';
import { parseAst } from 'rolldown/parseAst';

const dir = new URL('../dist/cli/', import.meta.url).pathname;
const EXTERNAL = [/^node:/, 'better-sqlite3', 'undici', 'open', 'typescript', '@redis/client'];
// A builtin that a plugin below hands over itself is not external to that importer.
const external = (source, importer) =>
  !isBuiltinAsIs(source, importer) &&
  EXTERNAL.some((e) => (typeof e === 'string' ? e === source : e.test(source)));
// The plugin kit's zod (src/services/plugin-zod.ts) is a file of its own, imported by the first
// plugin: zod's whole namespace cannot be tree-shaken, and kept in the main chunk it would be a
// third of what every start-up compiles.
const PLUGIN_ZOD = 'plugin-zod';
// cosmiconfig's own YAML loader requires js-yaml; ti-check gives it its own YAML loaders, which
// import js-yaml when a YAML config is found (src/config/load.ts). cosmiconfig's require gets an
// empty module, so that js-yaml is a lazily loaded chunk rather than part of every start-up.
const UNUSED_YAML = '\0cosmiconfig-js-yaml-unused';
// bin.cjs learns the bundle's file name at build time (src/cli/bundle-name.ts).
const BUNDLE_NAME = '/cli/bundle-name.js';
const checks = {
  // yargs reads import.meta only for `extends` in a yargs config file, which ti-check does not use.
  emptyImportMeta: false,
};

// What import() is left in the CommonJS bundle (of packages, plugins and configs; the bundle's own
// chunks are require()d) becomes a call to the loader's __tiImport (src/cli/code-cache.ts): Node
// 20's V8 forgets a vm script's import() callback when its code comes from V8's cache.
const importThroughLoader = {
  name: 'import-through-loader',
  renderChunk(code) {
    const starts = [];
    const visit = (node) => {
      if (Array.isArray(node)) for (const item of node) visit(item);
      else if (node && typeof node === 'object') {
        if (node.type === 'ImportExpression') starts.push(node.start);
        for (const value of Object.values(node)) if (value && typeof value === 'object') visit(value);
      }
    };
    visit(parseAst(code));
    if (starts.length === 0) return null;
    const out = new RolldownMagicString(code);
    for (const start of starts) out.overwrite(start, start + 'import'.length, '__tiImport');
    return out;
  },
};

// yargs's help (cliui, wrap-ansi) measures text with string-width, whose three copies each make an
// Intl.Segmenter as they load: the first loads ICU's break rules, ~14 ms of every start-up, for
// help text that most runs never print. Each copy only calls .segment(): made at the first call.
const SEGMENTER_AT_LOAD = /^const (\w+) = new Intl\.Segmenter\(\);$/m;
const segmenterAtFirstUse = {
  name: 'segmenter-at-first-use',
  transform(code, id) {
    if (!/\/node_modules\/string-width\/index\.js$/.test(id)) return null;
    const found = SEGMENTER_AT_LOAD.exec(code);
    if (!found) {
      if (code.includes('new Intl.Segmenter(')) this.warn(`${id}: its Intl.Segmenter is made at load again`);
      return null;
    }
    const lazy = `let ${found[1]}$made;\nconst ${found[1]} = { segment: (text) => (${found[1]}$made ??= new Intl.Segmenter()).segment(text) };`;
    const out = new RolldownMagicString(code);
    out.overwrite(found.index, found.index + found[0].length, lazy);
    return { code: out };
  },
};

// Two of Node's modules that packages load at start-up for what most runs never use:
// - chalk's supports-color imports node:process, node:os and node:tty as default imports, which the
//   bundle would copy property by property (process has hundreds, ~3 ms); a module that hands
//   over Node's own object needs no copy.
// - cosmiconfig's loaders require crypto at load for one randomUUID() in its TypeScript loader
//   (~5 ms to load): given a stand-in that loads crypto at that call.
const BUILTIN_AS_IS = '\0builtin-as-is:';
function isBuiltinAsIs(source, importer) {
  return (
    importer?.endsWith('/chalk/source/vendor/supports-color/index.js') === true &&
    /^node:(process|os|tty)$/.test(source)
  );
}
const LAZY_CRYPTO = '\0crypto-at-first-use';
const builtinsAsNeeded = {
  name: 'builtins-as-needed',
  resolveId(source, importer) {
    if (isBuiltinAsIs(source, importer)) return `${BUILTIN_AS_IS}${source}`;
    if (importer?.endsWith('/cosmiconfig/dist/loaders.js') && source === 'crypto') return LAZY_CRYPTO;
    return null;
  },
  load(id) {
    if (id.startsWith(BUILTIN_AS_IS))
      return `export default process.getBuiltinModule(${JSON.stringify(id.slice(BUILTIN_AS_IS.length))});`;
    if (id === LAZY_CRYPTO)
      return "exports.randomUUID = () => process.getBuiltinModule('node:crypto').randomUUID();";
    return null;
  },
};

rmSync(`${dir}chunks`, { recursive: true, force: true });
const { output } = await build({
  input: `${dir}run.js`,
  platform: 'node',
  external,
  checks,
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
        source.endsWith(`/${PLUGIN_ZOD}.js`) ? { id: `./${PLUGIN_ZOD}.cjs`, external: true } : null,
    },
    segmenterAtFirstUse,
    builtinsAsNeeded,
    importThroughLoader,
  ],
  logLevel: 'warn',
  output: {
    dir,
    format: 'cjs',
    // Start-up reads this code as Latin-1 (src/cli/code-cache.ts), and a smaller file faster:
    // non-ASCII characters escaped, comments left to the sources (the source map leads there).
    charset: 'ascii',
    comments: false,
    entryFileNames: 'run-[hash].cjs',
    chunkFileNames: 'chunks/[name]-[hash].cjs',
    sourcemap: true,
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
  output: {
    file: `${dir}chunks/${PLUGIN_ZOD}.cjs`,
    format: 'cjs',
    charset: 'ascii',
    comments: false,
    sourcemap: true,
  },
});
await build({
  input: `${dir}bin.js`,
  platform: 'node',
  external,
  plugins: [
    {
      name: 'bundle-name',
      load: (id) =>
        id.endsWith(BUNDLE_NAME) ? `export const RUN_BUNDLE = ${JSON.stringify(bundleName)};` : null,
    },
  ],
  logLevel: 'warn',
  output: { file: `${dir}bin.cjs`, format: 'cjs', sourcemap: true },
});
// tsc's bin.js is only this build's input: gone, so that nobody runs the half-built program.
rmSync(`${dir}bin.js`);
rmSync(`${dir}bin.js.map`, { force: true });
