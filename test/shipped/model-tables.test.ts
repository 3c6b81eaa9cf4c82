// The shipped model's tables (npm run test:shipped): in shared memory and read back from their
// binary, they give every fixture what the model file's own scorer gives (the same claim as
// test/tables.test.ts makes for a model trained from the fixtures).
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { loadScorer } from '../../src/model/model.js';
import { expectTablesScoreAsFile } from '../tables-check.js';

describe("the shipped model's tables", () => {
  it('score every fixture exactly as the model file does, from shared memory and through the binary', async () => {
    await expectTablesScoreAsFile(loadScorer(readFileSync(new URL('../../models/default.json', import.meta.url), 'utf8')));
  });
});
