import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HASH_TYPES } from '../../src/model/report.js';
import { SERVICES } from '../../src/services/index.js';
import type { ServiceDefinition } from '../../src/services/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVICES_DIR = join(ROOT, 'src/services/');
/** Adapter folders: every directory except the scaffold's template. */
const folders = readdirSync(SERVICES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
  .map((entry) => entry.name)
  .sort();

async function exportedServices(folder: string): Promise<ServiceDefinition[]> {
  const module = (await import(`../../src/services/${folder}/index.ts`)) as Record<string, unknown>;
  return Object.values(module).filter(
    (value): value is ServiceDefinition => typeof value === 'object' && value !== null && 'lookup' in value,
  );
}

/** The two lines a new adapter adds to src/services/index.ts (the scaffold prints them too). */
const registration = (id: string) => `import { ${id} } from './${id}/index.js'; and \`${id},\` in SERVICES`;

describe('service registry', () => {
  it('registers every adapter folder, and nothing else', () => {
    const registered = SERVICES.map((s) => s.id);
    const unregistered = folders.filter((folder) => !registered.includes(folder));
    expect(
      unregistered,
      `add to src/services/index.ts: ${unregistered.map(registration).join('; ')}`,
    ).toEqual([]);
    const strays = registered.filter((id) => !folders.includes(id));
    expect(strays, 'registered in src/services/index.ts, but no src/services/<id>/ folder').toEqual([]);
    expect(new Set(registered).size, 'registered twice').toBe(registered.length);
    expect([...registered].sort()).toEqual(folders);
  });

  it.each(folders)('%s: one layout — index.ts (definition + mapping), schema.ts, README.md', (folder) => {
    expect(readdirSync(join(SERVICES_DIR, folder)).sort()).toEqual(['README.md', 'index.ts', 'schema.ts']);
  });

  it.each([...folders, '_template'])(
    '%s: schema.ts exports zod schemas and value lists only (mapping tables live in index.ts)',
    async (folder) => {
      const module = (await import(`../../src/services/${folder}/schema.ts`)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        const valueList =
          Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number');
        expect(value instanceof z.ZodType || valueList, `${folder}/schema.ts exports ${name}`).toBe(true);
      }
    },
  );

  it.each(folders)('%s: the folder exports one service whose id is the folder name', async (folder) => {
    const exported = await exportedServices(folder);
    expect(exported.map((s) => s.id)).toEqual([folder]);
    expect(SERVICES).toContain(exported[0]);
  });

  it.each(SERVICES.map((s) => [s.id, s] as const))('%s: declares its capabilities', (_id, service) => {
    expect(service.id).toMatch(/^[a-z][a-z0-9]*$/);
    expect(service.hashTypes.length).toBeGreaterThan(0);
    for (const type of service.hashTypes) expect(HASH_TYPES).toContain(type);
    expect(service.rateLimit.requests).toBeGreaterThan(0);
    expect(service.rateLimit.perSeconds).toBeGreaterThan(0);
    expect(service.rateLimit.source).toMatch(/^https?:\/\//);
    expect(service.docs).toMatch(/^https?:\/\//);
    expect(URL.canParse(service.baseUrl)).toBe(true);
    expect(service.link({ type: service.hashTypes[0] ?? 'sha256', value: 'ab'.repeat(32) })).toMatch(
      /^https?:\/\//,
    );
  });
});

describe('npm run new-service', () => {
  it('lays out an adapter from the template and prints its registration instead of editing the registry', () => {
    // A copy of the parts of the repository the scaffold reads and writes, so the real tree stays as it is.
    const dir = mkdtempSync(join(tmpdir(), 'ti-check-scaffold-'));
    try {
      cpSync(join(ROOT, 'scripts/new-service.mjs'), join(dir, 'scripts/new-service.mjs'));
      cpSync(join(SERVICES_DIR, '_template'), join(dir, 'src/services/_template'), { recursive: true });
      cpSync(join(SERVICES_DIR, 'index.ts'), join(dir, 'src/services/index.ts'));
      mkdirSync(join(dir, 'test/services'), { recursive: true });
      mkdirSync(join(dir, 'fixtures'));
      writeFileSync(join(dir, 'fixtures/SOURCES.md'), '# Fixtures\n');
      const registry = readFileSync(join(dir, 'src/services/index.ts'), 'utf8');

      const out = execFileSync(
        process.execPath,
        [join(dir, 'scripts/new-service.mjs'), 'acme', 'Acme Intel', 'https://acme.example/api'],
        { encoding: 'utf8' },
      );

      expect(out).toContain("  import { acme } from './acme/index.js';\n");
      expect(out).toContain('`acme,` in SERVICES');
      expect(readFileSync(join(dir, 'src/services/index.ts'), 'utf8')).toBe(registry);
      expect(readdirSync(join(dir, 'src/services/acme')).sort()).toEqual([
        'README.md',
        'index.ts',
        'schema.ts',
      ]);
      const adapter = readFileSync(join(dir, 'src/services/acme/index.ts'), 'utf8');
      expect(adapter).toContain("id: 'acme',");
      expect(adapter).not.toMatch(/__[A-Z_]+__/);
      expect(existsSync(join(dir, 'test/services/acme.test.ts'))).toBe(true);
      expect(existsSync(join(dir, 'fixtures/acme/found.json'))).toBe(true);
      expect(readFileSync(join(dir, 'fixtures/SOURCES.md'), 'utf8')).toContain(
        '## `acme` — Acme Intel fixtures',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
