/** Where the answer cache lives, and making that folder. */
import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** `$XDG_CACHE_HOME/ti-check`, else the OS convention (~/Library/Caches, %LOCALAPPDATA%, ~/.cache). */
export function defaultCacheDir(env: NodeJS.ProcessEnv, platform = process.platform): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'ti-check');
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'ti-check');
  if (platform === 'win32')
    return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'ti-check', 'Cache');
  return join(home, '.cache', 'ti-check');
}

/**
 * `mkdir -p` with one attempt per path component. Node's own recursive mkdir can loop forever at
 * 100 % CPU where a directory cannot be made (under /proc, say); here any failure is an error the
 * caller turns into one warning and a run without cache.
 */
export function makeDirectories(dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    try {
      if (!statSync(current).isDirectory()) throw new Error(`${current} is not a directory`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      // Another process made it meanwhile: fine.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
