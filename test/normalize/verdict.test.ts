import { describe, expect, it } from 'vitest';
import type { ServiceResult } from '../../src/model/report.js';
import { countStats, judgeEngines, overallVerdict } from '../../src/normalize/verdict.js';
import { engines } from '../helpers/fake-services.js';

const policy = { minMaliciousEngines: 3 };
const verdictOf = (...args: Parameters<typeof engines>) =>
  judgeEngines(countStats(engines(...args)), policy, []).verdict;

describe('engine verdict policy', () => {
  it('is malicious from minMaliciousEngines detections on', () => {
    expect(verdictOf(3, 0, 60)).toBe('malicious');
    expect(judgeEngines(countStats(engines(1)), { minMaliciousEngines: 1 }, []).verdict).toBe('malicious');
  });
  it('is suspicious below the bar or on any suspicious engine', () => {
    expect(verdictOf(2, 5, 60)).toBe('suspicious');
    expect(verdictOf(0, 5, 60, 1)).toBe('suspicious');
  });
  it('is clean when an engine affirms it, else undetected', () => {
    expect(verdictOf(0, 1, 60)).toBe('clean');
    expect(verdictOf(0, 0, 60)).toBe('undetected');
  });
  it('counts only engines that gave a verdict', () => {
    expect(countStats(engines(2, 3, 4, 1))).toEqual({
      malicious: 2,
      suspicious: 1,
      clean: 3,
      undetected: 4,
      total: 10,
    });
  });
});

describe('overall verdict', () => {
  const row = (status: ServiceResult['status'], verdict: ServiceResult['verdict']) =>
    ({ status, verdict }) as ServiceResult;
  it('is the worst verdict among services that found the file', () => {
    expect(
      overallVerdict([row('found', 'clean'), row('found', 'malicious'), row('found', 'suspicious')]),
    ).toBe('malicious');
  });
  it('prefers an affirmed clean over undetected', () => {
    expect(overallVerdict([row('found', 'undetected'), row('found', 'clean')])).toBe('clean');
  });
  it('is unknown when nobody found the file', () => {
    expect(overallVerdict([row('not_found', null), row('error', null), row('disabled', null)])).toBe(
      'unknown',
    );
  });
});
