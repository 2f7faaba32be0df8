import { describe, expect, it } from 'vitest';
import { serviceNames } from '../../src/config/service-names.js';
import { InputError } from '../../src/errors.js';
import { SERVICES } from '../../src/services/index.js';
import { closest, didYouMean, editDistance } from '../../src/suggest.js';

/** Every id and alias (`vt`, `opswat`, `tria.ge`…) → id, from each definition's `aliases`. */
const SERVICE_NAMES = serviceNames(SERVICES);

describe('editDistance', () => {
  it('counts inserts, deletes, substitutions and a swap of neighbours as one edit each', () => {
    expect(editDistance('virustotal', 'virustotal')).toBe(0);
    expect(editDistance('virustotl', 'virustotal')).toBe(1);
    expect(editDistance('virustoatl', 'virustotal')).toBe(1);
    expect(editDistance('virustutal', 'virustotal')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('closest / didYouMean', () => {
  it('suggests within 2 edits, 1 for short names, or by prefix; ties all, at most 3', () => {
    expect(closest('servics', ['services', 'cache'])).toEqual(['services']);
    expect(closest('cahce', ['services', 'cache'])).toEqual(['cache']);
    expect(closest('xx', ['vt', 'ms'])).toEqual([]);
    expect(closest('vtt', ['vt', 'ms'])).toEqual(['vt']);
    expect(closest('virus', ['virustotal', 'virusshare', 'otx'])).toEqual(['virustotal', 'virusshare']);
    expect(closest('nothing', ['virustotal'])).toEqual([]);
  });

  it('reads as a question', () => {
    expect(didYouMean([])).toBe('');
    expect(didYouMean(['a'])).toBe("did you mean 'a'?");
    expect(didYouMean(['a', 'b', 'c'])).toBe("did you mean 'a', 'b' or 'c'?");
    expect(didYouMean(['--services'], (n) => n)).toBe('did you mean --services?');
  });
});

describe('service names', () => {
  it.each([
    ['vt', 'virustotal'],
    ['VT', 'virustotal'],
    ['VirusTotal', 'virustotal'],
    ['mb', 'malwarebazaar'],
    ['ha', 'hybridanalysis'],
    ['md', 'metadefender'],
    ['opswat', 'metadefender'],
    ['tf', 'threatfox'],
    ['uh', 'urlhaus'],
    ['otx', 'otx'],
    ['ms', 'malshare'],
    ['vs', 'virusshare'],
    ['js', 'joesandbox'],
    ['joe', 'joesandbox'],
    ['ps', 'polyswarm'],
    ['tria.ge', 'triage'],
    ['kaspersky', 'opentip'],
  ])('%s is %s', (name, id) => {
    expect(SERVICE_NAMES.resolve(name)).toBe(id);
  });

  it('no alias is another service’s id or alias, and every alias is lower case', () => {
    const seen = new Map(SERVICES.map((s) => [s.id, s.id]));
    for (const service of SERVICES) {
      for (const alias of service.aliases ?? []) {
        expect(alias).toBe(alias.toLowerCase());
        expect({ alias, taken: seen.get(alias) }).toEqual({ alias, taken: undefined });
        seen.set(alias, service.id);
      }
    }
  });

  it('suggests the id a typo was close to, by id or alias, else lists the ids', () => {
    expect(SERVICE_NAMES.suggest('virustotl')).toEqual(['virustotal']);
    expect(SERVICE_NAMES.suggest('vtt')).toEqual(['virustotal']);
    expect(SERVICE_NAMES.suggest('kasperski')).toEqual(['opentip']);
    expect(() => SERVICE_NAMES.require('virustotl')).toThrow(
      new InputError(`unknown service "virustotl" (did you mean 'virustotal'?)`),
    );
    const small = serviceNames([{ id: 'alpha' }, { id: 'beta', aliases: ['b'] }]);
    expect(() => small.require('gamma')).toThrow(
      new InputError('unknown service "gamma" (valid: alpha, beta)'),
    );
    expect(small.require(' B ')).toBe('beta');
  });
});
