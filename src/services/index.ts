/**
 * The registry: every service ti-check knows, in report order. An explicit list (no directory
 * scanning at start-up); test/services/registry.test.ts checks it against the folders.
 */

import { cape } from './cape/index.js';
import { cymru } from './cymru/index.js';
import { filescan } from './filescan/index.js';
import { hashlookup } from './hashlookup/index.js';
import { hybridanalysis } from './hybridanalysis/index.js';
import { inquest } from './inquest/index.js';
import { intezer } from './intezer/index.js';
import { joesandbox } from './joesandbox/index.js';
import { malshare } from './malshare/index.js';
import { malwarebazaar } from './malwarebazaar/index.js';
import { metadefender } from './metadefender/index.js';
import { opentip } from './opentip/index.js';
import { otx } from './otx/index.js';
import { polyswarm } from './polyswarm/index.js';
import { threatfox } from './threatfox/index.js';
import { triage } from './triage/index.js';
import type { ServiceDefinition } from './types.js';
import { unpacme } from './unpacme/index.js';
import { urlhaus } from './urlhaus/index.js';
import { virusshare } from './virusshare/index.js';
import { virustotal } from './virustotal/index.js';
import { yaraify } from './yaraify/index.js';

export const SERVICES: readonly ServiceDefinition[] = [
  virustotal,
  metadefender,
  malwarebazaar,
  hybridanalysis,
  hashlookup,
  opentip,
  inquest,
  intezer,
  triage,
  malshare,
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
  polyswarm,
];
