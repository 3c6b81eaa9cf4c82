// A scoring thread: compiles the rule set, loads the model and warms both up, then reports ready and
// scores batches. Progress goes through shared memory so the pool's watchdog can stop it when one
// posting runs over its time budget; the budget starts only once the thread is ready, so start-up
// never counts against a posting.
import { parentPort, workerData } from 'node:worker_threads';
import { preloadPhoneNumbers } from '../contacts/index.js';
import { scorerOf } from '../model/tables.js';
import { compileRuleSet } from '../rules/engine.js';
import type { OutputRecord, Posting } from '../types.js';
import { currentThreadId } from './clock.js';
import { scorePosting } from '../score/index.js';
import { PROGRESS, STATE, disabledWarnings, parseThreadRules, type WorkerInit, type WorkerMessage, type WorkerRequest } from './protocol.js';
import { warmUpPostings } from './warm-up.js';

const port = parentPort!;

/** Compile, load and warm up from `init`, report ready, then score the batches that come. */
function start(init: WorkerInit): void {
  const progress = new Int32Array(init.progress);
  const { rules, plan } = init.rules instanceof Uint8Array ? parseThreadRules(init.rules) : init.rules;
  const set = compileRuleSet(rules, init.scoring, plan, init.prefilter);
  const skip = new Set(init.disabled.map((d) => d.rule));
  const warnings = disabledWarnings(init.disabled);
  const model = init.model !== undefined ? scorerOf(init.model) : undefined;
  const onRule = (index: number): void => {
    progress[PROGRESS.rule] = index;
  };
  const options = { includeText: init.includeText, explain: init.explain, onRule, skip, ...(model ? { model } : {}) };

  function score(posting: Posting): OutputRecord {
    try {
      const verdict = scorePosting(set, posting, options);
      // A new array: the verdict's warnings may be the posting's own.
      if (warnings.length > 0) verdict.warnings = [...(verdict.warnings ?? []), ...warnings];
      return verdict;
    } catch (error) {
      return { id: posting.id, source: posting.source, error: { code: 'SCORE_FAILED', message: `scoring failed: ${(error as Error).message}` } };
    }
  }

  for (let round = 0; round < 2; round++) for (const posting of warmUpPostings(init.warmUp)) score(posting);
  Atomics.store(progress, PROGRESS.state, STATE.idle);
  const tid = currentThreadId();
  port.postMessage({ kind: 'ready', ...(tid !== undefined ? { tid } : {}) } satisfies WorkerMessage);

  port.on('message', (request: WorkerRequest) => {
    const results: OutputRecord[] = [];
    for (const posting of request.postings) {
      progress[PROGRESS.rule] = -1;
      Atomics.add(progress, PROGRESS.started, 1);
      Atomics.store(progress, PROGRESS.state, STATE.scoring);
      results.push(score(posting));
    }
    // Idle before the results go out: from here on nothing this thread does is a posting's time.
    Atomics.store(progress, PROGRESS.state, STATE.idle);
    port.postMessage({ kind: 'results', results } satisfies WorkerMessage);
  });
}

// A thread the pool started ahead of its work (`prestartScoringThread`) has loaded this module and
// everything it imports by the time its start-up data arrives as the first message.
if (workerData !== undefined && workerData !== null) start(workerData as WorkerInit);
else {
  // Started ahead of its work: load what the first posting with a phone number would otherwise wait for.
  preloadPhoneNumbers();
  port.once('message', (init: WorkerInit) => start(init));
}
