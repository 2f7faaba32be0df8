/** Colour as a value passed to pure renderers: a chalk-backed styler on a TTY, a plain one elsewhere. */
import { Chalk, type ChalkInstance } from 'chalk';
import type { OverallVerdict, Status } from '../model/report.js';

export interface Styler {
  verdict(verdict: OverallVerdict | null, text: string): string;
  status(status: Status, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

export const plainStyler: Styler = {
  verdict: (_v, text) => text,
  status: (_s, text) => text,
  bold: (text) => text,
  dim: (text) => text,
};

export function chalkStyler(chalk: ChalkInstance): Styler {
  const byVerdict: Record<OverallVerdict, (t: string) => string> = {
    malicious: (t) => chalk.red.bold(t),
    suspicious: (t) => chalk.yellow(t),
    clean: (t) => chalk.green(t),
    undetected: (t) => chalk.gray(t),
    unknown: (t) => chalk.gray(t),
  };
  // The seed's colour code: green found, gray not found / off, red error.
  const byStatus: Record<Status, (t: string) => string> = {
    found: (t) => chalk.green(t),
    not_found: (t) => chalk.gray(t),
    disabled: (t) => chalk.gray(t),
    unsupported: (t) => chalk.gray(t),
    error: (t) => chalk.red(t),
  };
  return {
    verdict: (verdict, text) => (verdict ? byVerdict[verdict](text) : text),
    status: (status, text) => byStatus[status](text),
    bold: (text) => chalk.bold(text),
    dim: (text) => chalk.dim(text),
  };
}

export interface ColorEnv {
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** NO_COLOR (https://no-color.org) and TERM=dumb switch colour off; FORCE_COLOR switches it on. */
export function wantsColor({ isTTY, env }: ColorEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return isTTY && env.TERM !== 'dumb';
}

export function createStyler(colorEnv: ColorEnv): Styler {
  return wantsColor(colorEnv) ? chalkStyler(new Chalk({ level: 1 })) : plainStyler;
}
