/**
 * Which V8s get the young generation kept at its first size (src/cli/v8-flags.ts): the ones whose
 * young generation may grow to 64 MiB, from V8 13 (Node 24) on. The versions are those of the
 * Node releases measured (`process.versions.v8`).
 */
import { describe, expect, it } from 'vitest';
import { youngGenerationGrowsTo64MiB } from '../../src/cli/v8-flags.js';

describe('youngGenerationGrowsTo64MiB', () => {
  it('is false for Node 20 and 22 (V8 11 and 12), true from Node 24 (V8 13) on', () => {
    expect(youngGenerationGrowsTo64MiB('11.3.244.8-node.38')).toBe(false);
    expect(youngGenerationGrowsTo64MiB('12.4.254.21-node.57')).toBe(false);
    expect(youngGenerationGrowsTo64MiB('13.6.233.17-node.53')).toBe(true);
    expect(youngGenerationGrowsTo64MiB('14.6.202.34-node.34')).toBe(true);
  });
});
