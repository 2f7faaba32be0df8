/**
 * The user's ti-check config directory: where cosmiconfig's global search reads `config[.json|.yaml]`
 * and where plugin services live (`services/`). `$XDG_CONFIG_HOME/ti-check` (else `~/.config/ti-check`)
 * on Linux, `~/Library/Preferences/ti-check` on macOS, `%APPDATA%\ti-check\Config` on Windows — the
 * places cosmiconfig (env-paths) looks.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userConfigDir(env: NodeJS.ProcessEnv, platform = process.platform): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'ti-check');
  if (platform === 'win32')
    return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'ti-check', 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'ti-check');
}
