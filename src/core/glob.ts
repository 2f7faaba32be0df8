/**
 * Globs against the path below the walked directory; a pattern without `/` matches the file or
 * folder name at any depth (`*.exe`), one with `/` the whole relative path (`vendor/**`).
 */
export async function globMatcher(
  patterns: readonly string[],
): Promise<((rel: string) => boolean) | undefined> {
  if (patterns.length === 0) return undefined;
  // Loaded by walks with --include / --exclude only.
  const { default: picomatch } = await import('picomatch');
  const matchers = patterns.map((p) => {
    const match = picomatch(p, { dot: true });
    return p.includes('/') ? match : (rel: string) => match(rel.slice(rel.lastIndexOf('/') + 1));
  });
  return (rel) => matchers.some((m) => m(rel));
}
