import { describe, expect, it } from 'vitest';
import { briefError } from '../../src/render/common.js';

describe('briefError: what the table says of a failure', () => {
  it("keeps the vendor's own message from a JSON error body, even one cut short", () => {
    expect(
      briefError(
        'HTTP 401 Unauthorized: { "error": { "message": "Wrong API key", "code": "WrongCredentialsError" }…',
      ),
    ).toBe('HTTP 401 Unauthorized: Wrong API key');
    expect(briefError('HTTP 400 Bad Request: {"query_status": "illegal_hash"}')).toBe(
      'HTTP 400 Bad Request: illegal_hash',
    );
  });
  it('never shows an HTML page: its title, or the status alone', () => {
    expect(
      briefError('HTTP 503 Service Unavailable: <!DOCTYPE html><html><head><title>Just a moment...</title>'),
    ).toBe('HTTP 503 Service Unavailable: Just a moment...');
    expect(briefError('HTTP 500 Internal Server Error: <html><body>oops</body></html>')).toBe(
      'HTTP 500 Internal Server Error',
    );
  });
  it('points to the JSON report instead of printing a schema dump', () => {
    expect(
      briefError(
        'answer does not match the expected schema: ✖ Invalid input: expected object, received undefined → at error',
      ),
    ).toBe('answer does not match the expected schema (the details: --json)');
  });
  it('leaves a plain message alone', () => {
    expect(briefError('no answer within 20 s (raise --timeout, or check HTTPS_PROXY)')).toBe(
      'no answer within 20 s (raise --timeout, or check HTTPS_PROXY)',
    );
    expect(briefError('HTTP 500 Internal Server Error: upstream down')).toBe(
      'HTTP 500 Internal Server Error: upstream down',
    );
  });
});
