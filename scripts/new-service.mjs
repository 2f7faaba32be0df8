#!/usr/bin/env node
// Scaffold the next adapter: `npm run new-service -- <id> ["Display Name"] [docs-url]`.
// Lays out src/services/<id>/ (adapter, schema, README), fixtures/<id>/ (+ a fixtures/SOURCES.md section)
// and test/services/<id>.test.ts, then prints the two lines that register it in src/services/index.ts.
// It does not edit the registry: where the service goes in SERVICES is its place in the report, a
// choice to make by hand; test/services/registry.test.ts fails until the folder is registered.
// Then: replace the placeholders with the vendor's API.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [id, displayName = id, docs = 'https://example.com/api-docs'] = process.argv.slice(2);

if (!id || !/^[a-z][a-z0-9]*$/.test(id)) {
  console.error(
    'usage: npm run new-service -- <id> ["Display Name"] [docs-url]   (id: lower-case letters and digits)',
  );
  process.exit(2);
}
const folder = `${root}src/services/${id}`;
if (existsSync(folder)) {
  console.error(`new-service: src/services/${id} already exists`);
  process.exit(2);
}

const fill = (text) =>
  text
    .replaceAll('__CAMEL_ID__', id)
    .replaceAll('__ENV_ID__', id.toUpperCase())
    .replaceAll('__ID__', id)
    .replaceAll('__DISPLAY_NAME__', displayName)
    .replaceAll('__DOCS_URL__', docs);
const template = (name) => fill(readFileSync(`${root}src/services/_template/${name}`, 'utf8'));

mkdirSync(folder);
for (const name of ['index.ts', 'schema.ts', 'README.md']) writeFileSync(`${folder}/${name}`, template(name));
writeFileSync(`${root}test/services/${id}.test.ts`, template('test.ts.txt'));
mkdirSync(`${root}fixtures/${id}`, { recursive: true });
writeFileSync(
  `${root}fixtures/${id}/found.json`,
  `${JSON.stringify({ found: true, verdict: 'malicious', name: 'EICAR-Test-File' }, null, 2)}\n`,
);
appendFileSync(
  `${root}fixtures/SOURCES.md`,
  `\n## \`${id}\` — ${displayName} fixtures\n\n| File | Provenance | What it shows |\n|---|---|---|\n| \`found.json\` | TODO: URL, or repository + path + commit | scaffold placeholder: replace with a real recorded answer |\n`,
);

console.log(`Created src/services/${id}/, fixtures/${id}/ and test/services/${id}.test.ts.
Register it in src/services/index.ts (test/services/registry.test.ts fails until you do):
  import { ${id} } from './${id}/index.js';
and \`${id},\` in SERVICES, at its place in the report order.
Next: read the vendor's API docs, record a real answer into fixtures/${id}/ (provenance in fixtures/SOURCES.md),
adjust schema.ts and index.ts (helpers: src/services/kit.ts), run: npx vitest run test/services/${id}.test.ts,
then npm run docs (the README services table and the head of the service README).`);
