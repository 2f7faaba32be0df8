/**
 * The bundle loader (src/cli/code-cache.ts) in this process: CommonJS files run, their compiled code
 * written for the next process. Taking it back is in test/e2e/code-cache.e2e.test.ts.
 */
import { chmodSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleLoader } from '../../src/cli/code-cache.js';
import { tempDir } from '../helpers/temp-dir.js';

interface Entry {
  answer: number;
  readsFiles: string;
  pathJoin: () => Promise<string>;
  sibling: () => Promise<unknown>;
  where: string;
  line: () => string | undefined;
}

/** A two-file bundle: an entry that requires a chunk, a Node module, and import()s one. */
function bundle(): { entry: string; cache: string } {
  const dir = tempDir('ti-check-bundle-');
  mkdirSync(join(dir, 'chunks'));
  const entry = join(dir, 'run-abc.cjs');
  const chunk = join(dir, 'chunks', 'lib-def.cjs');
  writeFileSync(chunk, 'exports.twice = (n) => n * 2;\n');
  writeFileSync(
    entry,
    [
      "const { twice } = require('./chunks/lib-def.cjs');",
      'exports.answer = twice(21);',
      "exports.readsFiles = typeof require('node:fs').readFileSync;",
      // What scripts/bundle.mjs makes of the bundle's import().
      "exports.pathJoin = () => __tiImport('node:path').then((path) => path.join('a', 'b'));",
      "exports.sibling = () => __tiImport('./chunks/lib-def.cjs');",
      'exports.where = __filename;',
      'exports.line = () => new Error().stack.split("\\n")[1];',
    ].join('\n'),
  );
  return { entry, cache: join(dir, 'v8') };
}

const importModule = (specifier: string) => import(specifier);

describe('bundleLoader', () => {
  it('runs the bundle and writes the code V8 compiled, for the user only', async () => {
    const { entry, cache } = bundle();
    const first = bundleLoader(entry, cache, importModule);
    const a = first.load(entry) as Entry;
    expect(a.answer).toBe(42);
    expect(a.readsFiles).toBe('function');
    expect(await a.pathJoin()).toBe(join('a', 'b'));
    expect(a.where).toBe(entry);
    // A relative import() is the file's neighbour, as a file URL.
    const asked: string[] = [];
    const b = bundleLoader(entry, undefined, async (specifier) => asked.push(specifier));
    await (b.load(entry) as Entry).sibling();
    expect(asked).toEqual([pathToFileURL(join(entry, '..', 'chunks', 'lib-def.cjs')).href]);
    // The wrapper sits on the first line: line numbers in stack traces are the file's own.
    expect(a.line()).toContain(`${entry}:7:`);
    expect([...first.compiled.values()]).toEqual(['compiled', 'compiled']);
    first.save();
    const files = readdirSync(cache).sort();
    expect(files).toEqual([
      `lib-def.cjs.${process.version}-${process.arch}.code`,
      `run-abc.cjs.${process.version}-${process.arch}.code`,
    ]);
    for (const file of files) expect(statSync(join(cache, file)).mode & 0o777).toBe(0o600);
    expect(statSync(cache).mode & 0o777).toBe(0o700);

    // Taking it back needs a fresh V8: within one, V8 reuses what it compiled in memory and never
    // reads the cache (test/e2e/code-cache.e2e.test.ts runs the loader in new processes).
  });

  it('keeps code made under other V8 flags in files of its own, named at the time of writing', () => {
    const { entry, cache } = bundle();
    const base = `.${process.version}-${process.arch}`;
    let tag = '';
    const loader = bundleLoader(entry, cache, importModule, () => tag);
    loader.load(entry);
    // The run tunes V8 midway (src/cli/v8-flags.ts): V8 writes the code it compiled before under
    // the flags in force at the exit, and the files are named after those.
    tag = '-tuned';
    loader.save();
    expect(readdirSync(cache).sort()).toEqual([
      `lib-def.cjs${base}-tuned.code`,
      `run-abc.cjs${base}-tuned.code`,
    ]);
    // A run that never tunes V8 looks for (and writes) the untagged files, beside the others.
    const untuned = bundleLoader(entry, cache, importModule, () => '');
    untuned.load(entry);
    untuned.save();
    expect(readdirSync(cache).sort()).toEqual([
      `lib-def.cjs${base}-tuned.code`,
      `lib-def.cjs${base}.code`,
      `run-abc.cjs${base}-tuned.code`,
      `run-abc.cjs${base}.code`,
    ]);
  });

  it('clears what an older version left, after writing its own', () => {
    const { entry, cache } = bundle();
    mkdirSync(cache);
    const suffix = `.${process.version}-${process.arch}.code`;
    const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    const stale = join(cache, `run-old.cjs${suffix}`);
    const staleTuned = join(cache, `run-old.cjs${suffix.replace('.code', '-tuned.code')}`);
    const recent = join(cache, `run-other.cjs${suffix}`);
    const ownButOld = join(cache, `lib-def.cjs${suffix}`);
    const notOurs = join(cache, 'notes.txt');
    for (const file of [stale, staleTuned, recent, ownButOld, notOurs]) writeFileSync(file, 'x');
    for (const file of [stale, staleTuned, ownButOld, notOurs]) utimesSync(file, longAgo, longAgo);

    const loader = bundleLoader(entry, cache, importModule);
    loader.load(entry);
    loader.save();
    const left = readdirSync(cache);
    // Another version's chunk unused for 40 days goes; a recent one (another install's) and files
    // that are not cached code stay; the chunk this bundle has was written again.
    expect(left).not.toContain(`run-old.cjs${suffix}`);
    expect(left).not.toContain(basename(staleTuned));
    expect(left).toEqual(
      expect.arrayContaining([`run-other.cjs${suffix}`, 'notes.txt', `run-abc.cjs${suffix}`]),
    );
    expect(statSync(ownButOld).mtimeMs).toBeGreaterThan(longAgo.getTime());
  });

  it.runIf(process.getuid !== undefined)('neither reads nor writes a folder others can write to', () => {
    const { entry, cache } = bundle();
    const first = bundleLoader(entry, cache, importModule);
    first.load(entry);
    first.save();
    chmodSync(cache, 0o777);
    const before = readdirSync(cache).map((file) => statSync(join(cache, file)).mtimeMs);
    const second = bundleLoader(entry, cache, importModule);
    expect((second.load(entry) as Entry).answer).toBe(42);
    // Not handed to V8 at all: compiled from the source.
    expect(second.compiled.get(entry)).toBe('compiled');
    second.save();
    expect(readdirSync(cache).map((file) => statSync(join(cache, file)).mtimeMs)).toEqual(before);
  });

  it('keeps nothing without a cache folder, and loads each file once', () => {
    const { entry, cache } = bundle();
    const loader = bundleLoader(entry, undefined, importModule);
    expect(loader.load(entry)).toBe(loader.load(entry));
    loader.save();
    expect(() => readdirSync(cache)).toThrow(/ENOENT/);
  });

  it('costs only the speed-up when the cache folder cannot be made', () => {
    const { entry } = bundle();
    const blocker = join(tempDir('ti-check-blocked-'), 'file');
    writeFileSync(blocker, '');
    const loader = bundleLoader(entry, join(blocker, 'v8'), importModule);
    expect((loader.load(entry) as Entry).answer).toBe(42);
    expect(() => loader.save()).not.toThrow();
  });
});
