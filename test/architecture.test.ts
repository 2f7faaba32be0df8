/**
 * The layers, read from the import statements of every file under src/: arrows run one way,
 * cli → core → services / render → model (normalize between core and services / model; http, dns and
 * config below core), and no two files import each other, directly or round a longer loop.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `from '…'`, `import '…'` and `import('…')` with a relative specifier: our own files. */
const LOCAL_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*'(\.{1,2}\/[^']+)'/g;
/** Any specifier, to tell a package (`zod`, `node:fs`) from one of ours. */
const ANY_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*'([^']+)'/g;

/**
 * The specifiers a file imports at load time: `import … from`, `export … from` and `import '…'`, but
 * neither `import type` (erased) nor `import()` (loaded when called).
 */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const STATIC = /^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm;
  return [...text.matchAll(STATIC)].map((m) => m[1] as string);
}

/** File (relative to src, `/`-separated) → the files of ours it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(LOCAL_IMPORT)].map((m) => {
      const target = resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts'));
      expect(existsSync(target), `${file} imports ${m[1]}, which is not a file under src`).toBe(true);
      return name(target);
    });
    graph.set(name(file), targets);
  }
  return graph;
}

function name(file: string): string {
  return relative(src, file).split(sep).join('/');
}

/** The folder under src a file belongs to (`core`), or the file's own name for src/*.ts (`errors.ts`). */
function layer(file: string): string {
  return file.split('/')[0] as string;
}

/** Every import cycle, each as the files round the loop (first file repeated at the end). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return found;
}

/** `from → to` for every import that crosses from one of `from` into one of `to`. */
function crossings(graph: Map<string, string[]>, from: string[], to: string[]): string[] {
  return [...graph].flatMap(([file, targets]) =>
    from.includes(layer(file))
      ? targets.filter((t) => to.includes(layer(t))).map((t) => `${file} → ${t}`)
      : [],
  );
}

describe('architecture', () => {
  const graph = importGraph();

  it('reads the imports of every file under src', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('cli/main.ts')).toContain('cli/check-command.ts');
    // A dynamic import counts as well as a static one.
    expect(graph.get('cli/bin.ts')).toContain('cli/start.ts');
    expect(graph.get('cli/run.ts')).toContain('cli/main.ts');
  });

  it('has no import cycles between files', () => {
    expect(cycles(graph).map((loop) => loop.join(' → '))).toEqual([]);
  });

  it('src/model imports nothing of ours but itself', () => {
    const outside = [...graph]
      .filter(([file]) => layer(file) === 'model')
      .flatMap(([file, targets]) => targets.filter((t) => layer(t) !== 'model').map((t) => `${file} → ${t}`));
    expect(outside).toEqual([]);
    // …and from outside only packages (zod), no path that climbs out of src.
    for (const file of sourceFiles(join(src, 'model'))) {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(ANY_IMPORT)].map((m) => m[1] as string);
      expect(specifiers.filter((s) => s.startsWith('../'))).toEqual([]);
    }
  });

  it('render and services do not import cli or core', () => {
    expect(crossings(graph, ['render', 'services'], ['cli', 'core'])).toEqual([]);
  });

  it('core does not import cli', () => {
    expect(crossings(graph, ['core'], ['cli'])).toEqual([]);
  });

  it('normalize, http, dns and config sit below core: they import none of cli, core or render', () => {
    expect(crossings(graph, ['normalize', 'http', 'dns', 'config'], ['cli', 'core', 'render'])).toEqual([]);
  });

  it('http, dns and config sit below the adapters too: they import no service', () => {
    expect(crossings(graph, ['http', 'dns', 'config'], ['services'])).toEqual([]);
  });

  it('services do not import normalize (the policy stage sits above the adapters)', () => {
    expect(crossings(graph, ['services'], ['normalize'])).toEqual([]);
  });

  it('the library API (src/api) sits on core beside the CLI: it imports no cli, and nothing imports it', () => {
    expect(crossings(graph, ['api'], ['cli'])).toEqual([]);
    const importers = [...graph].filter(
      ([file, targets]) => layer(file) !== 'api' && targets.some((t) => layer(t) === 'api'),
    );
    expect(importers.map(([file]) => file)).toEqual([]);
  });

  it('nothing the library API reaches prints or exits: no console, process.exit, process.stdout or process.stderr', () => {
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const next of graph.get(file) ?? []) visit(next);
    };
    visit('api/index.ts');
    expect(reached.has('core/check.ts')).toBe(true);
    const offenders = [...reached].filter((file) =>
      /\bconsole\.|process\.exit|process\.std(out|err)/.test(
        // Comments may mention them.
        readFileSync(join(src, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('a lookup sends its requests before zod loads: the CLI entry reaches no zod at load time but its error text', () => {
    const reached = new Set<string>();
    const zodImports: string[] = [];
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const specifier of staticImports(join(src, file))) {
        if (specifier === 'zod' || specifier.startsWith('zod/')) zodImports.push(`${file} → ${specifier}`);
        if (specifier.startsWith('.'))
          visit(name(resolve(dirname(join(src, file)), specifier.replace(/\.js$/, '.ts'))));
      }
    };
    visit('cli/run.ts');
    expect(reached.has('http/client.ts')).toBe(true);
    expect(reached.has('services/virustotal/index.ts')).toBe(true);
    // The vendor schemas and zod's parsers come by import(), once the requests are out (services/kit.ts).
    expect(reached.has('services/virustotal/schema.ts')).toBe(false);
    expect(zodImports).toEqual(['http/client.ts → zod/v4/core']);
  });
});
