#!/usr/bin/env node
// Rewrites README.md's services table from the built registry: `npm run docs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { catalogueRows } from '../dist/core/catalogue.js';
import { DEFAULT_POLICY } from '../dist/model/policy.js';
import { renderCatalogueMarkdown } from '../dist/render/catalogue.js';
import { SERVICES } from '../dist/services/index.js';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const start = '<!-- services-table:start -->\n';
const end = '<!-- services-table:end -->';
const readme = readFileSync(readmePath, 'utf8');
const table = renderCatalogueMarkdown(
  catalogueRows(SERVICES, { services: {}, policy: DEFAULT_POLICY, timeout: 20 }),
);
const next =
  readme.slice(0, readme.indexOf(start) + start.length) + table + readme.slice(readme.indexOf(end));
writeFileSync(readmePath, next);
console.log(`README.md: services table has ${SERVICES.length} services`);
