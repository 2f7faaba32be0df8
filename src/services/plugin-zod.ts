/**
 * zod's whole namespace, as the plugin kit hands it to plugins. A module of its own so that it can
 * be imported lazily: the CLI bundle (scripts/bundle.mjs) makes it a separate file with its own
 * copy of zod, so that the main bundle keeps only the parts of zod that ti-check's own schemas use
 * (a third of the bundle's size otherwise: 60-odd locales, JSON Schema conversion). A plugin's
 * schemas then come from that copy; zod 4 schemas compose across copies of the same version (its
 * `instanceof` checks go by traits, its parsers through `_zod.run`), and both copies are built from
 * the one zod in node_modules.
 */
export { z } from 'zod';
export type PluginZod = typeof import('zod').z;
