import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HASH_TYPES } from '../../src/normalize/model.js';
import { SERVICES } from '../../src/services/index.js';
import type { ServiceDefinition } from '../../src/services/types.js';

const SERVICES_DIR = fileURLToPath(new URL('../../src/services/', import.meta.url));
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

describe('service registry', () => {
  it('registers every adapter folder, and nothing else', () => {
    expect(SERVICES.map((s) => s.id).sort()).toEqual(folders);
  });

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
