import { describe, expect, it } from 'vitest';
import { cacheSettingsOf, defaultConfig } from '../../src/config/defaults.js';
import { isTimeoutSeconds, MAX_TIMEOUT_SECONDS } from '../../src/config/rules.js';
import { cacheConfigSchema, configSchema, timeoutSeconds } from '../../src/config/schema.js';
import { DEFAULT_POLICY } from '../../src/model/policy.js';
import { DEFAULT_MIN_MALICIOUS_ENGINES } from '../../src/model/policy-defaults.js';

describe('config defaults (a run without a config file builds no schema)', () => {
  it('defaultConfig() is what the schema makes of an empty config, a new object each time', () => {
    expect(defaultConfig()).toStrictEqual(configSchema.parse({}));
    const first = defaultConfig();
    first.services.virustotal = { enabled: false };
    first.policy.minMaliciousEngines = 9;
    expect(defaultConfig()).toStrictEqual(configSchema.parse({}));
  });

  it("the policy's own default agrees with the config's", () => {
    expect(configSchema.parse({ policy: {} }).policy).toStrictEqual(configSchema.parse({}).policy);
    expect(DEFAULT_POLICY.minMaliciousEngines).toBe(DEFAULT_MIN_MALICIOUS_ENGINES);
  });

  it('cacheSettingsOf: the defaults when the config has no cache, else the cache the schema completed', () => {
    expect(cacheSettingsOf(defaultConfig())).toStrictEqual(cacheConfigSchema.parse({}));
    expect(cacheSettingsOf(configSchema.parse({ cache: {} }))).toStrictEqual(cacheConfigSchema.parse({}));
    const cache = configSchema.parse({ cache: { foundTtl: 60, dir: '/tmp/c' } }).cache;
    expect(cacheSettingsOf({ cache })).toStrictEqual({
      ...cacheConfigSchema.parse({}),
      foundTtl: 60,
      dir: '/tmp/c',
    });
    // The defaults handed out are a copy: a caller's change stays its own.
    const settings = cacheSettingsOf({});
    settings.foundTtl = 1;
    expect(cacheSettingsOf({}).foundTtl).toBe(86_400);
  });

  it('isTimeoutSeconds says what the schema says of a timeout', () => {
    const values = [
      Number.NaN,
      Number.NEGATIVE_INFINITY,
      -1,
      0,
      Number.MIN_VALUE,
      0.001,
      1,
      20,
      MAX_TIMEOUT_SECONDS,
      MAX_TIMEOUT_SECONDS + 0.001,
      Number.POSITIVE_INFINITY,
    ];
    for (const value of values) {
      expect(isTimeoutSeconds(value), String(value)).toBe(timeoutSeconds.safeParse(value).success);
    }
  });
});
