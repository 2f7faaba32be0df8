/**
 * The registry: every service ti-check knows, in report order. An explicit list (no directory
 * scanning at start-up); test/services/registry.test.ts checks it against the folders.
 */
import type { ServiceDefinition } from './types.js';

export const SERVICES: readonly ServiceDefinition[] = [];
