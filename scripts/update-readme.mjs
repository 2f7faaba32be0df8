#!/usr/bin/env node
// Rewrites what the docs derive from the built registry: README.md's services table and the head of
// each service's README (key, hash types, rate limit). `npm run docs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { catalogueRows } from '../dist/core/catalogue.js';
import { DEFAULT_POLICY } from '../dist/model/policy.js';
import { renderCatalogueMarkdown } from '../dist/render/catalogue.js';
import { withServiceHeader } from '../dist/render/service-readme.js';
import { SERVICES } from '../dist/services/index.js';

const rows = catalogueRows(SERVICES, { services: {}, policy: DEFAULT_POLICY, timeout: 20 });

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const start = '<!-- services-table:start -->\n';
const end = '<!-- services-table:end -->';
const readme = readFileSync(readmePath, 'utf8');
const table = renderCatalogueMarkdown(rows);
const next =
  readme.slice(0, readme.indexOf(start) + start.length) + table + readme.slice(readme.indexOf(end));
writeFileSync(readmePath, next);
console.log(`README.md: services table has ${SERVICES.length} services`);

for (const row of rows) {
  const path = fileURLToPath(new URL(`../src/services/${row.id}/README.md`, import.meta.url));
  const updated = withServiceHeader(readFileSync(path, 'utf8'), row);
  if (updated === undefined) throw new Error(`${path}: no header markers`);
  writeFileSync(path, updated);
}
console.log(`src/services/*/README.md: ${rows.length} headers written`);
