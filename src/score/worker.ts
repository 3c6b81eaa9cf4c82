// A scoring thread: compiles the rule set once, scores batches, and reports progress through shared
// memory so the pool's watchdog can stop it when one posting runs over its time budget.
import { parentPort, workerData } from 'node:worker_threads';
import { loadScorer } from '../model/model.js';
import { compileRuleSet } from '../rules/engine.js';
import type { RuleDef, ScoringConfig } from '../rules/schema.js';
import type { OutputRecord, Posting } from '../types.js';
import { scorePosting } from './index.js';

export interface WorkerInit {
  rules: RuleDef[];
  scoring: ScoringConfig;
  includeText: boolean;
  modelText?: string;
  explain: boolean;
  skip: string[];
  /** Int32 slots: [0] postings started, [1] index of the pattern rule running. */
  progress: SharedArrayBuffer;
}

export interface WorkerRequest {
  postings: Posting[];
}

const init = workerData as WorkerInit;
const set = compileRuleSet(init.rules, init.scoring);
const progress = new Int32Array(init.progress);
const skip = new Set(init.skip);
const model = init.modelText !== undefined ? loadScorer(init.modelText).scorer : undefined;
const onRule = (index: number): void => {
  progress[1] = index;
};
const options = { includeText: init.includeText, explain: init.explain, onRule, skip, ...(model ? { model } : {}) };

parentPort!.on('message', (request: WorkerRequest) => {
  const results: OutputRecord[] = [];
  for (const posting of request.postings) {
    progress[1] = -1;
    Atomics.add(progress, 0, 1);
    try {
      results.push(scorePosting(set, posting, options));
    } catch (error) {
      results.push({ id: posting.id, source: posting.source, error: { code: 'SCORE_FAILED', message: `scoring failed: ${(error as Error).message}` } });
    }
  }
  parentPort!.postMessage(results);
});
