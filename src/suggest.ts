/**
 * "Did you mean …?" for a mistyped service, subcommand, flag or environment variable: the closest
 * names by Damerau–Levenshtein distance (a swap of two neighbours counts once), or by prefix.
 */

/** Edits (insert, delete, substitute, swap neighbours) that turn `a` into `b`: optimal string alignment. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidates `input` most likely meant, best first (at most 3): within 2 edits (1 for inputs
 * of 3 characters or fewer, where 2 edits reach almost anything), or starting with `input` (3
 * characters or more). Case is ignored. `canonical` maps a candidate (an alias) to the name to
 * suggest; duplicates collapse.
 */
export function closest(
  input: string,
  candidates: Iterable<string>,
  canonical: (candidate: string) => string = (c) => c,
): string[] {
  const wanted = input.toLowerCase();
  if (wanted === '') return [];
  const limit = wanted.length <= 3 ? 1 : 2;
  const scored: { name: string; score: number; distance: number }[] = [];
  for (const candidate of candidates) {
    const name = candidate.toLowerCase();
    const distance = editDistance(wanted, name);
    // A prefix ("virus" for virustotal and virusshare) ranks with a single typo.
    const score = wanted.length >= 3 && name.startsWith(wanted) ? Math.min(distance, 1) : distance;
    if (score <= limit) scored.push({ name: canonical(candidate), score, distance });
  }
  // Among equals, the nearest by plain distance: `--no-cach` means --no-cache, not --no-cache-required.
  scored.sort((x, y) => x.score - y.score || x.distance - y.distance);
  const best = scored[0];
  const ties = scored.filter((s) => s.score === best?.score && s.distance === best.distance);
  return [...new Set(ties.map((s) => s.name))].slice(0, 3);
}

/** `did you mean 'a'?`, `did you mean 'a' or 'b'?`; '' when there is nothing to suggest. */
export function didYouMean(
  names: readonly string[],
  quote: (name: string) => string = (n) => `'${n}'`,
): string {
  if (names.length === 0) return '';
  const quoted = names.map(quote);
  const last = quoted.pop() as string;
  return `did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last}?`;
}
