import { describe, expect, it } from 'vitest';
import { BadResponseError } from '../../src/errors.js';
import { hashlookup } from '../../src/services/hashlookup/index.js';
import { fixture, lookup, md5, mockService, sha1, sha256 } from '../http-mock.js';

// /bin/ls from a Snap package, CIRCL's own example (fixtures/hashlookup/found.json).
const LS = '732458574c63c3790cad093a36eadfb990d11ee6';
// An NSRL manifest file, from the hashlookup-server README (fixtures/hashlookup/found-nsrl.json).
const MANIFEST = '8ed4b4ed952526d89899e723f3488de4';
const EICAR = '44d88612fea8a8f36de82e1278abb02f';
const SHA = 'e'.repeat(64);

describe('hashlookup', () => {
  it('reads a known file as clean, named after its source, without sending any key', async () => {
    mockService(hashlookup)
      .get(`/lookup/sha1/${LS}`)
      .matchHeader('x-apikey', (value) => value === undefined)
      .reply(200, fixture('hashlookup', 'found.json'));
    await expect(lookup(hashlookup, sha1(LS))).resolves.toEqual({
      // The vendor's digests of the file: they complete a lookup by MD5 or SHA-1.
      hashes: {
        md5: 'E7793F15C2FF7E747B4BC7079F5CD4F7',
        sha1: '732458574C63C3790CAD093A36EADFB990D11EE6',
        sha256: '1E39354A6E481DAC48375BFEBB126FD96AED4E23BAB3C53ED6ECF1C5E4D5736D',
      },
      verdict: 'clean',
      summary: 'known file · trust 100/100',
      entries: [
        {
          name: 'snap:AUhqNxroxCLKaqLTwtZGKUMbBpAe5EU4_221',
          category: 'clean',
          detail: 'snap-hashlookup-import/bin/ls · trust 100/100',
        },
      ],
    });
  });

  it('names an NSRL row without a source after NSRL and shows its product', async () => {
    mockService(hashlookup)
      .get(`/lookup/md5/${MANIFEST}`)
      .reply(200, fixture('hashlookup', 'found-nsrl.json'));
    await expect(lookup(hashlookup, md5(MANIFEST))).resolves.toEqual({
      // The vendor's digests of the file: they complete a lookup by MD5 or SHA-1.
      hashes: { md5: '8ED4B4ED952526D89899E723F3488DE4', sha1: '00000079FD7AAC9B2F9C988C50750E1F50B27EB5' },
      verdict: 'clean',
      summary: 'known file',
      entries: [
        {
          name: 'NSRL',
          category: 'clean',
          detail:
            'wow64_microsoft-windows-i..timezones.resources_31bf3856ad364e35_10.0.16299.579_de-de_f24979c73226184d.manifest · Cumulative Update for Windows Server 2016 for x64 (KB4338817)',
        },
      ],
    });
  });

  it('reads the SHA-1 example of the README', async () => {
    const hash = 'fffffdac1b1b4c513896c805c2c698d9688be69f';
    mockService(hashlookup)
      .get(`/lookup/sha1/${hash}`)
      .reply(200, fixture('hashlookup', 'found-nsrl-sha1.json'));
    const finding = await lookup(hashlookup, sha1(hash));
    expect(finding?.verdict).toBe('clean');
    expect(finding?.entries[0]?.detail).toBe('.rela.dyn · BlackArch Linux');
  });

  it('lets a KnownMalicious marker win over the known-file listing', async () => {
    mockService(hashlookup)
      .get(`/lookup/md5/${EICAR}`)
      .reply(200, fixture('hashlookup', 'known-malicious.json'));
    await expect(lookup(hashlookup, md5(EICAR))).resolves.toEqual({
      // The vendor's digests of the file: they complete a lookup by MD5 or SHA-1.
      hashes: {
        md5: '44D88612FEA8A8F36DE82E1278ABB02F',
        sha256: '275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F',
      },
      verdict: 'malicious',
      summary: 'known file, flagged malicious by malshare.com',
      entries: [
        { name: 'malshare.com', category: 'malicious', detail: 'KnownMalicious' },
        {
          name: 'nsrl_legacy',
          category: 'clean',
          detail: 'eicar.com · Gentoo Linux 2005.0 Ubuntu 5.04 · trust 100/100',
        },
      ],
    });
  });

  it('returns null on 404 Non existing', async () => {
    mockService(hashlookup).get(`/lookup/sha256/${SHA}`).reply(404, fixture('hashlookup', 'not-found.json'));
    await expect(lookup(hashlookup, sha256(SHA))).resolves.toBeNull();
  });

  it('does not read a 404 page from elsewhere as not found', async () => {
    mockService(hashlookup).get(`/lookup/sha256/${SHA}`).reply(404, '<html>nginx</html>');
    await expect(lookup(hashlookup, sha256(SHA))).rejects.toBeInstanceOf(BadResponseError);
  });

  it('rejects a changed verdict field instead of reading it as clean', async () => {
    mockService(hashlookup)
      .get(`/lookup/md5/${EICAR}`)
      .reply(200, { FileName: 'eicar.com', KnownMalicious: ['malshare.com'] });
    await expect(lookup(hashlookup, md5(EICAR))).rejects.toBeInstanceOf(BadResponseError);
  });

  it('rejects a body that is not a record', async () => {
    mockService(hashlookup).get(`/lookup/md5/${EICAR}`).reply(200, ['not', 'a', 'record']);
    await expect(lookup(hashlookup, md5(EICAR))).rejects.toBeInstanceOf(BadResponseError);
  });

  it('maps a 400 for a malformed hash to bad_response', async () => {
    mockService(hashlookup)
      .get('/lookup/md5/xyz')
      .reply(400, { message: 'MD5 value incorrect, expecting a MD5 value in hex format' });
    await expect(lookup(hashlookup, md5('xyz'))).rejects.toBeInstanceOf(BadResponseError);
  });

  it('links to the lookup URL of the hash type it was given', () => {
    expect(hashlookup.link(md5(EICAR))).toBe(`https://hashlookup.circl.lu/lookup/md5/${EICAR}`);
  });
});
