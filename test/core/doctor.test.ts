/** Doctor's probes through the real HTTP layer (nock): VirusTotal's quota endpoint, and what each answer means. */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { probeServices } from '../../src/core/doctor.js';
import { prepareServices } from '../../src/core/prepare.js';
import { virustotal } from '../../src/services/virustotal/index.js';
import { fixture, mockService } from '../http-mock.js';

const KEY = 'doctor-vt-key-0123456789';
const QUOTAS = `/api/v3/users/${KEY}/overall_quotas`;

function probeVirusTotal() {
  const config = configSchema.parse({ services: { virustotal: { apiKey: KEY } } });
  const services = prepareServices([virustotal], config, { timeoutSeconds: 2 });
  return probeServices(services, { policy: config.policy });
}

describe('doctor probes VirusTotal through its quota endpoint', () => {
  it('reports the quota left, with the key in header and path', async () => {
    mockService(virustotal)
      .get(QUOTAS)
      .matchHeader('x-apikey', KEY)
      .reply(200, fixture('virustotal', 'overall-quotas.json'));
    const [probe] = await probeVirusTotal();
    expect(probe?.state).toBe('ok');
    expect(probe?.fix).toBeNull();
    expect(probe?.detail).toMatch(
      /^key accepted in \d+ ms · quota: 3 of 240 used this hour \(237 left\), 142 of 500 used today \(358 left\), 1200 of 15500 used this month \(14300 left\)$/,
    );
  });

  it('a quota used up is "rate limited", with when it resets', async () => {
    mockService(virustotal)
      .get(QUOTAS)
      .reply(200, { data: { api_requests_daily: { user: { used: 500, allowed: 500 } } } });
    const [probe] = await probeVirusTotal();
    expect(probe?.state).toBe('rate limited');
    expect(probe?.detail).toContain('500 of 500 used today (0 left)');
    expect(probe?.fix).toBe('the quota is used up today: wait for it to reset, or raise it with a paid plan');
  });

  it('a rejected key says which variable to fix, and never shows the key that sat in the URL', async () => {
    mockService(virustotal).get(QUOTAS).reply(401, fixture('virustotal', 'wrong-key.json'));
    const [probe] = await probeVirusTotal();
    expect(probe?.state).toBe('rejected key');
    expect(probe?.detail).toBe('VirusTotal rejected the API key (HTTP 401): check TI_CHECK_VIRUSTOTAL_KEY');
    expect(JSON.stringify(probe)).not.toContain(KEY);
  });

  it('an answer without the quota object is a bad answer, never OK', async () => {
    mockService(virustotal).get(QUOTAS).reply(200, { error: 'not what the API gives' });
    const [probe] = await probeVirusTotal();
    expect(probe?.state).toBe('bad answer');
    expect(JSON.stringify(probe)).not.toContain(KEY);
  });
});
