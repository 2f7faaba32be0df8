/** One service in `ti-check services`: what it is, and whether this machine is set up for it. */

export interface CatalogueRow {
  id: string;
  /** Short names accepted wherever the id is (`vt`). */
  aliases: string[];
  name: string;
  kind: string;
  key: 'none' | 'required' | 'optional';
  /** Whether this machine's config/env lets the service run. */
  ready: boolean;
  /** Why not, when it cannot run. */
  readyNote: string | null;
  hashTypes: string[];
  /** Counted per HTTP request. */
  rateLimit: {
    requests: number;
    perSeconds: number;
    daily: number | null;
    source: string;
    /** `documented`: the vendor's figure; `conservative`: ours, none published; `documented-daily`: the daily cap is. */
    basis: 'documented' | 'conservative' | 'documented-daily';
  };
  /** The most requests one lookup makes. */
  requestsPerLookup: number;
  docs: string;
  /** Where to get an API key, when the service takes one. */
  signup: string | null;
  /** The file of a plugin service; null for a built-in one. */
  plugin: string | null;
}
