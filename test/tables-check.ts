// The claim test/tables.test.ts makes for a model trained from the fixtures and
// test/shipped/model-tables.test.ts for the shipped model: its tables, in shared memory and read back
// from their binary, give every fixture what the model file's own scorer gives.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { postingLanguage } from '../src/lang/detect.js';
import { explainPrediction, isAbstention, type loadScorer, predict, type Scorer } from '../src/model/model.js';
import { decodeTables, encodeTables, scorerOf, tablesOf } from '../src/model/tables.js';
import { readAllItems } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));

async function fixturePostings(): Promise<Array<Record<string, string>>> {
  const items = await readAllItems([path.join(root, 'fixtures/postings')]);
  return items.flatMap((item) => (item.kind === 'posting' ? [item.posting.fields] : []));
}

/** What a verdict takes from the model for one posting: probabilities, label, judges, the tokens that weighed most. */
function judged(scorer: Scorer, fields: Record<string, string>): unknown {
  const lang = postingLanguage(fields).lang;
  const output = predict(scorer, fields, { lang, baseRates: [undefined, 0.02, 0.005] });
  if (isAbstention(output)) return output;
  return {
    probabilities: output.probabilities,
    label: output.label,
    judges: output.judges,
    report: output.report,
    tokens: explainPrediction(output, output.label),
  };
}

/** A model file as loaded: its tables, and the binary made of them, score every fixture as its own scorer does. */
export async function expectTablesScoreAsFile({ scorer, info }: ReturnType<typeof loadScorer>): Promise<void> {
  // What the model file's scorer gives every fixture, taken before any table is made from it.
  const postings = await fixturePostings();
  expect(postings.length).toBeGreaterThan(250);
  const expected = postings.map((fields) => judged(scorer, fields));
  const tables = tablesOf(scorer, info, 'test-source');
  expect(tables.buffer).toBeInstanceOf(SharedArrayBuffer);
  const bytes = encodeTables(tables);
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  const decoded = decodeTables(shared, 'test-source');
  expect(decoded).toBeDefined();
  const fromTables = scorerOf(tables);
  const fromBinary = scorerOf(decoded!);
  let abstained = 0;
  postings.forEach((fields, k) => {
    if ('abstained' in (expected[k] as object)) abstained++;
    expect(judged(fromTables, fields)).toEqual(expected[k]);
    expect(judged(fromBinary, fields)).toEqual(expected[k]);
  });
  // Both kinds of outcome were compared, not only abstentions.
  expect(abstained).toBeLessThan(postings.length / 2);
  expect(fromBinary.documents).toEqual(scorer.documents);
  expect(fromBinary.vocabulary.size).toBe(scorer.vocabulary.size);
}
