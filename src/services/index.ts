/**
 * The registry: every service ti-check knows, in report order. An explicit list (no directory
 * scanning at start-up); test/services/registry.test.ts checks it against the folders.
 */

import { cape } from './cape/index.js';
import { cymru } from './cymru/index.js';
import { filescan } from './filescan/index.js';
import { joesandbox } from './joesandbox/index.js';
import { otx } from './otx/index.js';
import { threatfox } from './threatfox/index.js';
import type { ServiceDefinition } from './types.js';
import { unpacme } from './unpacme/index.js';
import { urlhaus } from './urlhaus/index.js';
import { virusshare } from './virusshare/index.js';
import { yaraify } from './yaraify/index.js';

export const SERVICES: readonly ServiceDefinition[] = [
  otx,
  threatfox,
  urlhaus,
  yaraify,
  cymru,
  unpacme,
  joesandbox,
  cape,
  filescan,
  virusshare,
];
