// VirusTotal API v3, file object: https://docs.virustotal.com/reference/files
import { z } from 'zod';
import type { Category, Entry } from '../../normalize/model.js';

/**
 * What each engine's `category` means for us. Engines that did not scan the file
 * (`type-unsupported`, `timeout`, `confirmed-timeout`, `failure`) map to null: they are left out,
 * so they neither dilute nor inflate the detection ratio.
 */
const CATEGORY: Record<string, Category | null> = {
  malicious: 'malicious',
  suspicious: 'suspicious',
  harmless: 'clean',
  undetected: 'undetected',
  'type-unsupported': null,
  timeout: null,
  'confirmed-timeout': null,
  failure: null,
};

const engineResult = z.object({
  // Decides the verdict: an unknown category is schema drift, never silently dropped.
  category: z.enum(Object.keys(CATEGORY) as [string, ...string[]]),
  result: z.string().nullish().catch(null),
});

export const vtFileReport = z
  .object({
    data: z.object({
      attributes: z.object({
        last_analysis_results: z.record(z.string(), engineResult),
        // The file's digests: a lookup by MD5 or SHA-1 learns the others from them.
        md5: z.string().nullish().catch(undefined),
        sha1: z.string().nullish().catch(undefined),
        sha256: z.string().nullish().catch(undefined),
        popular_threat_classification: z
          .object({ suggested_threat_label: z.string().nullish() })
          .nullish()
          .catch(undefined),
        // VirusTotal's own known-good signal: a software publisher vouches for the file.
        trusted_verdict: z
          .object({ verdict: z.string(), organization: z.string().nullish(), filename: z.string().nullish() })
          .nullish()
          .catch(undefined),
      }),
    }),
  })
  .transform(({ data: { attributes } }) => {
    const entries: Entry[] = [];
    for (const [engine, scan] of Object.entries(attributes.last_analysis_results)) {
      const category = CATEGORY[scan.category];
      if (category) entries.push({ name: engine, category, detail: scan.result || null });
    }
    const trusted = attributes.trusted_verdict;
    return {
      entries,
      hashes: { md5: attributes.md5, sha1: attributes.sha1, sha256: attributes.sha256 },
      threatLabel: attributes.popular_threat_classification?.suggested_threat_label || undefined,
      trustedBy:
        trusted?.verdict === 'goodware'
          ? { organization: trusted.organization || 'a trusted source', filename: trusted.filename || null }
          : undefined,
    };
  });

/** VirusTotal's error envelope: `{ "error": { "code": "NotFoundError", "message": "…" } }`. */
export const vtError = z.object({ error: z.object({ code: z.string() }) });
