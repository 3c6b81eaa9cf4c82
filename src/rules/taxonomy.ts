// The labels and their categories (CATEGORIES in src/contracts/labels.ts, the one list) as the places that
// cannot import it need them: the enums of schemas/rules.schema.json, which editors read as a file,
// and the "Categories" paragraph of docs/rule-format.md. `npm run taxonomy` writes both from here;
// test/taxonomy.test.ts fails when either is not what this gives.
import { CATEGORIES, LABELS, SHARED_CATEGORIES } from '../types.js';

/** Every category, the labels' in order, then those open to either label. */
export const ALL_CATEGORIES: readonly string[] = [...new Set([...LABELS.flatMap((label) => CATEGORIES[label]), ...SHARED_CATEGORIES])];

/** Where the rules schema lists categories, and labels (JSON pointers to an object holding `enum`). */
const CATEGORY_ENUMS = [
  '/definitions/term/properties/category',
  '/definitions/rule/properties/category',
  '/definitions/scoring/properties/caps/additionalProperties/propertyNames',
];
const LABEL_ENUMS = [
  '/definitions/label',
  '/definitions/scoring/properties/thresholds/propertyNames',
  '/definitions/scoring/properties/caps/propertyNames',
  '/definitions/scoring/properties/model/propertyNames',
  '/definitions/scoring/properties/base-rates/propertyNames',
];

function at(schema: unknown, pointer: string): { enum: unknown } {
  let node = schema;
  for (const key of pointer.split('/').slice(1)) {
    node = (node as Record<string, unknown> | undefined)?.[key];
    if (node === undefined || node === null || typeof node !== 'object') throw new Error(`the rules schema has no ${pointer}`);
  }
  if (!('enum' in (node as object))) throw new Error(`the rules schema's ${pointer} has no enum`);
  return node as { enum: unknown };
}

/** The rules schema (parsed JSON) with its category and label enums set from CATEGORIES and LABELS; a copy. */
export function withTaxonomy(schema: unknown): unknown {
  const copy = structuredClone(schema);
  for (const pointer of CATEGORY_ENUMS) at(copy, pointer).enum = [...ALL_CATEGORIES];
  for (const pointer of LABEL_ENUMS) at(copy, pointer).enum = [...LABELS];
  return copy;
}

/** Words joined by spaces into lines of at most `width` characters. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/** What a category open to either label is for, as the docs say it. */
const SHARED_NOTES: Record<(typeof SHARED_CATEGORIES)[number], string> = {
  legitimacy: 'negative points',
  combination: 'combination rules only',
};

/** docs/rule-format.md's "Categories" paragraph: each label's categories, then the shared ones. */
export function categoriesParagraph(): string {
  const perLabel = LABELS.map((label) => `${label}: ${CATEGORIES[label].join(', ')}.`);
  const shared = SHARED_CATEGORIES.map((c) => `\`${c}\` (${SHARED_NOTES[c]})`);
  return wrap(`${perLabel.join(' ')} Either label: ${shared.join(' and ')}.`, 100);
}
