/**
 * OSC 8 hyperlinks (https://gist.github.com/egmontkob/eb114294efbcd5adb1944c9f3cb5feda): text on
 * screen that opens a URL. Only terminals known to support them get them; others would show the
 * escape sequence or nothing at all. FORCE_HYPERLINK=1 / 0 overrides the guess.
 */

export function supportsHyperlinks(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.FORCE_HYPERLINK !== undefined) return env.FORCE_HYPERLINK !== '0' && env.FORCE_HYPERLINK !== '';
  if (!isTTY || env.CI || env.TERM === 'dumb') return false;
  if (env.WT_SESSION || env.KITTY_WINDOW_ID || env.WEZTERM_PANE || env.DOMTERM) return true;
  if (['iTerm.app', 'WezTerm', 'vscode', 'ghostty', 'Hyper'].includes(env.TERM_PROGRAM ?? '')) return true;
  // GNOME Terminal, Tilix and other VTE terminals since 0.50.
  return Number(env.VTE_VERSION ?? 0) >= 5000;
}

/** `text` that opens `url`. The URL must already be a checked http(s) link with no control character. */
export function hyperlink(url: string, text: string): string {
  return `\u001b]8;;${url}\u0007${text}\u001b]8;;\u0007`;
}
