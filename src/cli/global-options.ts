/**
 * Options every command takes, declared once on the program (yargs hands them to each command):
 * adding a command never repeats them.
 */
export const GLOBAL_OPTIONS = {
  color: {
    type: 'boolean',
    // No default: absent, NO_COLOR / FORCE_COLOR and the terminal decide.
    describe:
      'colour even when stdout is not a terminal; --no-color: never (wins over NO_COLOR, FORCE_COLOR)',
  },
  config: {
    type: 'string',
    requiresArg: true,
    describe: 'read this config file instead of searching for one',
  },
} as const;
