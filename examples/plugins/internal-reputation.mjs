// A ti-check plugin for an in-house reputation service. Drop it into
// ~/.config/ti-check/services/ (or list it in the config's "plugins"), then:
//   export TI_CHECK_INTREP_KEY=…   TI_CHECK_INTREP_URL=https://reputation.corp.example (optional)
//   ti-check --services intrep sample.exe
//
// The service answers GET /api/v1/files/<md5|sha256>/<hash> with the header X-Api-Key:
//   200 {"sha256": "…", "md5": "…", "verdict": "malicious", "score": 97, "family": "emotet", "tags": ["loader"]}
//   404 {"error": "not_found"}
//   401 when the key is wrong (ti-check turns that into "rejected the API key: check TI_CHECK_INTREP_KEY")
//
// No import of ti-check: the default export gets the kit the built-in adapters use.
export default function internalReputation({ defineService, z, joinParts, labelled, errors }) {
  // What a found answer must look like. `verdict` decides found/clean, so it is strict; the rest
  // only adds detail, so a value of the wrong type reads as absent instead of failing the answer.
  const fileRecord = z.object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/i),
    md5: z
      .string()
      .regex(/^[0-9a-f]{32}$/i)
      .nullish(),
    verdict: z.enum(['malicious', 'suspicious', 'clean', 'unknown']),
    score: z.number().int().min(0).max(100).nullish().catch(null),
    family: z.string().nullish().catch(null),
    tags: z.array(z.string()).nullish().catch(null),
  });
  // A 404 is "not found" only when it is the service's own answer, not a proxy's error page.
  const notFound = z.object({ error: z.literal('not_found') });

  return defineService({
    id: 'intrep',
    displayName: 'Internal reputation',
    kind: 'reputation',
    hashTypes: ['sha256', 'md5'],
    auth: { key: 'required' },
    baseUrl: 'https://reputation.corp.example',
    rateLimit: { requests: 10, perSeconds: 1 },
    docs: 'https://wiki.corp.example/reputation-api',
    link: (hash) => `https://reputation.corp.example/ui/files/${hash.value}`,

    async lookup(hash, ctx) {
      const res = await ctx.http.request({
        path: `/api/v1/files/${hash.type}/${hash.value}`,
        headers: { 'X-Api-Key': ctx.apiKey ?? '' },
        accept: [404],
      });
      if (res.status === 404) {
        res.decode(notFound);
        return null;
      }
      const file = res.decode(fileRecord);
      // Fail closed: a record of another file is an error, never a verdict.
      if (file[hash.type]?.toLowerCase() !== hash.value) {
        throw new errors.BadResponseError(`answer is not a record of ${hash.type} ${hash.value}`);
      }
      const category = file.verdict === 'unknown' ? 'undetected' : file.verdict;
      return {
        verdict: category,
        summary: joinParts(file.family && `family: ${file.family}`) || undefined,
        entries: [
          {
            name: 'Internal reputation',
            category,
            detail:
              joinParts(
                file.score == null ? null : `score ${file.score}/100`,
                file.family,
                labelled('tags', file.tags ?? []),
              ) || null,
          },
        ],
        hashes: { sha256: file.sha256.toLowerCase(), md5: file.md5?.toLowerCase() },
      };
    },
  });
}
