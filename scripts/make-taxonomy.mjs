// Writes the labels and categories (CATEGORIES in src/contracts/labels.ts) where they cannot be imported:
// the enums of schemas/rules.schema.json and the "Categories" paragraph of docs/rule-format.md.
// `npm run taxonomy` (it builds first); test/taxonomy.test.ts fails when either is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { categoriesParagraph, withTaxonomy } from '../dist/rules/taxonomy.js';

const root = path.join(import.meta.dirname, '..');
const schemaFile = path.join(root, 'schemas', 'rules.schema.json');
const schema = `${JSON.stringify(withTaxonomy(JSON.parse(readFileSync(schemaFile, 'utf8'))), null, 2)}\n`;
writeFileSync(schemaFile, schema);

const docsFile = path.join(root, 'docs', 'rule-format.md');
const docs = readFileSync(docsFile, 'utf8');
const heading = '## Categories\n\n';
const start = docs.indexOf(heading);
if (start < 0) throw new Error(`${docsFile} has no "## Categories" section`);
const from = start + heading.length;
const end = docs.indexOf('\n\n', from);
writeFileSync(docsFile, `${docs.slice(0, from)}${categoriesParagraph()}${end < 0 ? '\n' : docs.slice(end)}`);
console.log('wrote schemas/rules.schema.json and docs/rule-format.md (Categories)');
