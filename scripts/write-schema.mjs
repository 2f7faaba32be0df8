// npm run schema: regenerates schemas/report.schema.json from the zod model (built into dist/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { reportJsonSchemaText } from '../dist/model/json-schema.js';

const url = new URL('../schemas/report.schema.json', import.meta.url);
mkdirSync(new URL('.', url), { recursive: true });
writeFileSync(url, reportJsonSchemaText());
console.log(`wrote ${url.pathname}`);
