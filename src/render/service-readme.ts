/**
 * The head of each service's README (src/services/<id>/README.md): key, hash types and rate limit,
 * written from the service's definition so the prose can never disagree with the code. `npm run
 * docs` rewrites it between the markers; test/render/service-readme.test.ts fails when it is stale.
 */
import type { CatalogueRow } from '../model/catalogue.js';

export const HEADER_START =
  '<!-- header: written by `npm run docs` from index.ts; edit the definition, not this -->';
export const HEADER_END = '<!-- /header -->';

const HASH_NAMES: Record<string, string> = { sha256: 'SHA-256', sha1: 'SHA-1', md5: 'MD5' };
const WINDOWS: Record<number, string> = { 1: 'a second', 60: 'a minute', 3600: 'an hour', 86400: 'a day' };

/** `4 requests a minute`, `1 request every 2 seconds`, `60 requests an hour`. */
export function describeRate(requests: number, perSeconds: number): string {
  const count = `${requests.toLocaleString('en-US')} request${requests === 1 ? '' : 's'}`;
  const window = WINDOWS[perSeconds];
  if (window) return `${count} ${window}`;
  return `${count} every ${perSeconds.toLocaleString('en-US')} seconds`;
}

function keyLine(row: CatalogueRow): string {
  const env = `\`TI_CHECK_${row.id.toUpperCase()}_KEY\` (or \`services.${row.id}.apiKey\` in the config)`;
  const signup = row.signup ? `; get one at <${row.signup}>` : '';
  if (row.key === 'none') return '- **Key:** none needed.';
  if (row.key === 'optional') return `- **Key:** optional, raises the limits: ${env}${signup}.`;
  return `- **Key:** required: ${env}${signup}. Without it the service is left out.`;
}

function rateLine(row: CatalogueRow): string {
  const { requests, perSeconds, daily, source, basis } = row.rateLimit;
  const rate =
    describeRate(requests, perSeconds) +
    (daily === null ? '' : ` and ${daily.toLocaleString('en-US')} a day`);
  const whose =
    basis === 'documented'
      ? `the vendor's published limit (<${source}>)`
      : basis === 'documented-daily'
        ? `the daily cap is the vendor's published figure (<${source}>), the pace within it a conservative choice of ours`
        : `a conservative default of ours: the vendor publishes no figure (<${source}>)`;
  const cost = row.requestsPerLookup > 1 ? ` A lookup makes up to ${row.requestsPerLookup} requests.` : '';
  return `- **Rate limit:** ${rate}, ${whose}. Change it with \`services.${row.id}.rateLimit\`.${cost}`;
}

export function renderServiceHeader(row: CatalogueRow): string {
  return [
    HEADER_START,
    keyLine(row),
    `- **Hash types:** ${row.hashTypes.map((t) => HASH_NAMES[t] ?? t).join(', ')}.`,
    rateLine(row),
    `- **Docs:** <${row.docs}>`,
    HEADER_END,
  ].join('\n');
}

/** The README with its header replaced, or undefined when the README has no header markers. */
export function withServiceHeader(readme: string, row: CatalogueRow): string | undefined {
  const start = readme.indexOf(HEADER_START);
  const end = readme.indexOf(HEADER_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(0, start) + renderServiceHeader(row) + readme.slice(end + HEADER_END.length);
}
