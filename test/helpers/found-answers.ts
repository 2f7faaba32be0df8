/** Every HTTP service's real recorded "found" answer, for the local fake vendors of the e2e tests. */
import { fixture } from '../http-mock.js';

/** Real recorded "found" answers, by service and request path. */
export function foundAnswer(service: string, path: string): string | undefined {
  const byPath: Record<string, (p: string) => string> = {
    cape: (p) => (p.includes('/view/') ? 'view.json' : 'search.json'),
    filescan: () => 'found-real.json',
    hashlookup: () => 'found.json',
    hybridanalysis: () => 'found.json',
    inquest: (p) => (p.includes('/details') ? 'details-found.json' : 'search-found.json'),
    intezer: (p) => (p.includes('get-access-token') ? 'access-token.json' : 'latest-analysis.json'),
    joesandbox: (p) => (p.includes('/search') ? 'search.json' : 'info.json'),
    malshare: () => 'found.json',
    malwarebazaar: () => 'found.json',
    metadefender: () => 'found.json',
    opentip: () => 'found.json',
    otx: () => 'found-family.json',
    polyswarm: () => 'found.json',
    threatfox: () => 'found.json',
    triage: (p) => (p.includes('/summary') ? 'summary.json' : 'search.json'),
    unpacme: () => 'found.json',
    urlhaus: () => 'found.json',
    virusshare: () => 'found.json',
    virustotal: () => 'found.json',
    yaraify: () => 'found-real.json',
  };
  const name = byPath[service]?.(path);
  return name ? fixture(service, name) : undefined;
}
