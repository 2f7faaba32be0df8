/**
 * The file name of the CLI's CommonJS bundle, next to bin.cjs. scripts/bundle.mjs builds bin.cjs with
 * the real name, which carries a hash of the bundle's content: the name of its cached code too
 * (src/cli/code-cache.ts), so that an upgrade never runs the code cached for another version.
 */
export const RUN_BUNDLE = 'run.cjs';
