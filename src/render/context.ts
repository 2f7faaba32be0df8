/** What every renderer is given besides the results: the styler, service names, terminal width… */
import type { ServiceNames } from './common.js';
import type { Styler } from './styler.js';

export interface RenderContext {
  styler: Styler;
  /** Service id → display name. */
  names: ServiceNames;
  width: number;
  showAll: boolean;
  /** The terminal shows OSC 8 hyperlinks (the table's vendor links). */
  hyperlinks: boolean;
  /** Targets left out of the report by --only-flagged (the batch summary says so). */
  hidden?: number;
}
