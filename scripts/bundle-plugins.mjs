// The CLI bundle's rolldown plugins (scripts/bundle.mjs): each keeps a start-up from loading or
// doing what most runs never need, or makes the bundle loadable with V8's code cache.
import { RolldownMagicString } from 'rolldown';
import { parseAst } from 'rolldown/parseAst';

// cosmiconfig's own YAML loader requires js-yaml; ti-check gives it its own YAML loaders, which
// import js-yaml when a YAML config is found (src/config/load.ts). cosmiconfig's require gets an
// empty module, so that js-yaml is a lazily loaded chunk rather than part of every start-up.
const UNUSED_YAML = '\0cosmiconfig-js-yaml-unused';
export const cosmiconfigYamlUnused = {
  name: 'cosmiconfig-yaml-unused',
  resolveId: (source, importer) =>
    source === 'js-yaml' && importer?.includes('/node_modules/cosmiconfig/') ? UNUSED_YAML : null,
  load: (id) => (id === UNUSED_YAML ? 'module.exports = {};' : null),
};

// What import() is left in the CommonJS bundle (of packages, plugins and configs; the bundle's own
// chunks are require()d) becomes a call to the loader's __tiImport (src/cli/code-cache.ts): Node
// 20's V8 forgets a vm script's import() callback when its code comes from V8's cache.
export const importThroughLoader = {
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
export const segmenterAtFirstUse = {
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

// Three of Node's modules that the bundle would load at start-up for what most runs never use:
// - chalk's supports-color imports node:process, node:os and node:tty as default imports, which the
//   bundle would copy property by property (process has hundreds, ~3 ms); a module that hands
//   over Node's own object needs no copy.
// - cosmiconfig's loaders require crypto at load for one randomUUID() in its TypeScript loader
//   (~5 ms to load): given a stand-in that loads crypto at that call.
// - node:fs/promises (~1.3 ms to load), which a lookup by hash never calls: every importer gets a
//   stand-in whose functions load it at their first call (node:fs's own lazy `promises`). A name
//   the stand-in lacks (not a function of fs/promises) fails the build.
const BUILTIN_AS_IS = '\0builtin-as-is:';
export function isBuiltinAsIs(source, importer) {
  return (
    importer?.endsWith('/chalk/source/vendor/supports-color/index.js') === true &&
    /^node:(process|os|tty)$/.test(source)
  );
}
const LAZY_CRYPTO = '\0crypto-at-first-use';
const LAZY_FS_PROMISES = '\0fs-promises-at-first-use';
export const isFsPromises = (source) => source === 'node:fs/promises' || source === 'fs/promises';
const fsPromisesStandIn = () => {
  const names = Object.entries(process.getBuiltinModule('node:fs/promises'))
    .filter(([, value]) => typeof value === 'function')
    .map(([name]) => name);
  return [
    ...names.map(
      (name) =>
        `export const ${name} = (...args) => process.getBuiltinModule('node:fs').promises.${name}(...args);`,
    ),
    // For a default import (cosmiconfig's `import fs from 'fs/promises'`).
    `export default { ${names.join(', ')} };`,
  ].join('\n');
};
export const builtinsAsNeeded = {
  name: 'builtins-as-needed',
  resolveId(source, importer) {
    if (isBuiltinAsIs(source, importer)) return `${BUILTIN_AS_IS}${source}`;
    if (importer?.endsWith('/cosmiconfig/dist/loaders.js') && source === 'crypto') return LAZY_CRYPTO;
    if (isFsPromises(source)) return LAZY_FS_PROMISES;
    return null;
  },
  load(id) {
    if (id.startsWith(BUILTIN_AS_IS))
      return `export default process.getBuiltinModule(${JSON.stringify(id.slice(BUILTIN_AS_IS.length))});`;
    if (id === LAZY_CRYPTO)
      return "exports.randomUUID = () => process.getBuiltinModule('node:crypto').randomUUID();";
    if (id === LAZY_FS_PROMISES) return fsPromisesStandIn();
    return null;
  },
};

// undici's index loads all of undici (fetch, WebSocket, caches, mocks: ~130 files, ~120 ms) where
// the run's dispatcher (src/http/dispatcher.ts) needs two of its agents. For that importer, the
// bundle takes just those and what they require, as a chunk that the code cache keeps like the
// rest, and does what the index does for them: give every dispatcher the request API (`connect`,
// which the proxy agent tunnels with). The paths are resolved at build time: an undici that moves
// them fails the build, never a run. The library (dist/api) still imports undici's index.
const UNDICI_AGENTS = '\0undici-agents';
export function isUndiciAgentsImport(source, importer) {
  return source === 'undici' && importer?.endsWith('/http/dispatcher.js') === true;
}
export const undiciAgentsOnly = {
  name: 'undici-agents-only',
  resolveId: (source, importer) => (isUndiciAgentsImport(source, importer) ? UNDICI_AGENTS : null),
  load: (id) =>
    id === UNDICI_AGENTS
      ? [
          "import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';",
          "import api from 'undici/lib/api/index.js';",
          "import Agent from 'undici/lib/dispatcher/agent.js';",
          "import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';",
          'Object.assign(Dispatcher.prototype, api);',
          'export { Agent, EnvHttpProxyAgent };',
        ].join('\n')
      : null,
};
