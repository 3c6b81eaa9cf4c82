// The categories have one list (CATEGORIES in src/contracts/labels.ts); the rules schema's enums and the
// docs' "Categories" paragraph are written from it by `npm run taxonomy` (rules/taxonomy.ts).
// These fail when either file is not what the list gives.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CATEGORIES, categoriesParagraph, withTaxonomy } from '../src/rules/taxonomy.js';
import { CATEGORIES, LABELS, SHARED_CATEGORIES } from '../src/types.js';

const root = path.join(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const stale = 'is stale: run `npm run taxonomy` after changing CATEGORIES or LABELS in src/contracts/labels.ts';

describe('the category list, written where it cannot be imported', () => {
  it("is every label's categories, then the shared ones, each once", () => {
    expect(ALL_CATEGORIES).toEqual([...CATEGORIES['forced-criminality'], ...CATEGORIES['employment-fraud'], ...SHARED_CATEGORIES]);
    expect(new Set(ALL_CATEGORIES).size).toBe(ALL_CATEGORIES.length);
  });

  it("sets the rules schema's category and label enums, whatever they held", () => {
    const schema = JSON.parse(read('schemas/rules.schema.json'));
    schema.definitions.rule.properties.category.enum = ['destination', 'retired-category'];
    schema.definitions.label.enum = ['forced-criminality'];
    const fixed = withTaxonomy(schema) as typeof schema;
    expect(fixed.definitions.rule.properties.category.enum).toEqual(ALL_CATEGORIES);
    expect(fixed.definitions.term.properties.category.enum).toEqual(ALL_CATEGORIES);
    expect(fixed.definitions.scoring.properties.caps.additionalProperties.propertyNames.enum).toEqual(ALL_CATEGORIES);
    expect(fixed.definitions.label.enum).toEqual([...LABELS]);
    // A copy: the schema handed in is left as it was.
    expect(schema.definitions.label.enum).toEqual(['forced-criminality']);
  });

  it(`is what schemas/rules.schema.json holds (else it ${stale})`, () => {
    const text = read('schemas/rules.schema.json');
    expect(text, `schemas/rules.schema.json ${stale}`).toBe(`${JSON.stringify(withTaxonomy(JSON.parse(text)), null, 2)}\n`);
  });

  it(`is what docs/rule-format.md's "Categories" says (else it ${stale})`, () => {
    const docs = read('docs/rule-format.md');
    const section = docs.slice(docs.indexOf('## Categories\n\n') + '## Categories\n\n'.length);
    expect(section.split('\n\n')[0]!.trimEnd(), `docs/rule-format.md ${stale}`).toBe(categoriesParagraph());
    for (const category of ALL_CATEGORIES) expect(categoriesParagraph()).toContain(category);
  });
});
