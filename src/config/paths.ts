/**
 * The user config directory, where the config search ends and `ti-check init` writes: the same
 * place cosmiconfig's global search looks (env-paths with no suffix) — `$XDG_CONFIG_HOME/ti-check`
 * (`~/.config/ti-check`) on Linux, `~/Library/Preferences/ti-check` on macOS,
 * `%APPDATA%\ti-check\Config` on Windows.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'ti-check');
  if (platform === 'win32') {
    return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'ti-check', 'Config');
  }
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'ti-check');
}

/** The file `ti-check init` writes in the user config directory (one of the names the search reads). */
export const USER_CONFIG_FILE = 'config.json';
/** The file `ti-check init --project` writes in the working directory. */
export const PROJECT_CONFIG_FILE = '.ti-checkrc.json';
