import { describe, expect, it } from 'vitest';
import { prepareServices } from '../../src/core/prepare.js';
import { InputError } from '../../src/errors.js';
import { DEFAULT_POLICY } from '../../src/model/policy.js';
import { fakeService } from '../helpers/fake-services.js';

const registry = [
  fakeService('alpha', () => null, { auth: { key: 'required' } }),
  fakeService('beta', () => null),
];
const base = { services: {}, policy: DEFAULT_POLICY, timeout: 20 };

describe('prepareServices', () => {
  it('uses config keys, URLs and timeouts, and the global timeout otherwise', () => {
    const prepared = prepareServices(registry, {
      ...base,
      services: { alpha: { apiKey: 'k-1234', baseUrl: 'http://127.0.0.1:1/x', timeout: 5 } },
    });
    expect(
      prepared.map((p) => [p.definition.id, p.apiKey, p.baseUrl, p.timeoutMs, p.disabledReason]),
    ).toEqual([
      ['alpha', 'k-1234', 'http://127.0.0.1:1/x', 5000, undefined],
      ['beta', undefined, 'https://beta.example.test', 20000, undefined],
    ]);
  });

  it('--services keeps only those, in that order, and --timeout wins', () => {
    const prepared = prepareServices(registry, base, { only: ['beta'], timeoutSeconds: 3 });
    expect(prepared.map((p) => [p.definition.id, p.timeoutMs])).toEqual([['beta', 3000]]);
  });

  it('an unknown --services id is an input error listing the valid ids', () => {
    expect(() => prepareServices(registry, base, { only: ['gamma'] })).toThrow(
      new InputError('unknown service "gamma" (valid: alpha, beta)'),
    );
  });

  it('a service switched off in config is disabled unless named with --services', () => {
    const config = { ...base, services: { beta: { enabled: false } } };
    expect(prepareServices(registry, config)[1]?.disabledReason).toMatch(/switched off/);
    expect(prepareServices(registry, config, { only: ['beta'] })[0]?.disabledReason).toBeUndefined();
  });
});
