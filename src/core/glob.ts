import picomatch from 'picomatch';

/**
 * Globs against the path below the walked directory; a pattern without `/` matches the file or
 * folder name at any depth (`*.exe`), one with `/` the whole relative path (`vendor/**`).
 */
export function globMatcher(patterns: readonly string[]): ((rel: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const matchers = patterns.map((p) => {
    const match = picomatch(p, { dot: true });
    return p.includes('/') ? match : (rel: string) => match(rel.slice(rel.lastIndexOf('/') + 1));
  });
  return (rel) => matchers.some((m) => m(rel));
}
