/** What `ti-check [paths..]` is asked to do: derived from the option table (src/cli/check-options.ts). */
export type { CheckArgs } from './check-options.js';

/** What `main` turns a lone `-` into (yargs would drop it). */
export const STDIN_ARG = '\u0000stdin';
