import type { Target } from '../model/report.js';

/** One target of a batch; `error` when it could not be checked at all (an unreadable file). */
export interface BatchItem {
  target: Target;
  error?: { code: string; message: string };
}
