// Scoring a corpus for the toolkit: inputs read with the scan's readers, scored in batches by one or
// more pools (one per rule set), so a pathological rule costs a posting its verdict, not the run.
import type { RuleSetDefinition } from '../rules/ruleset.js';
import { inOrderBatches } from '../run/batches.js';
import { DEFAULT_BUDGET_MS } from '../run/budget.js';
import { defaultJobs, ScorePool } from '../run/pool.js';
import { planInputs, readInputs } from '../input/index.js';
import type { ReadItem } from '../contracts/read-item.js';
import type { ErrorRecord, OutputRecord, Posting } from '../types.js';
import { truthOf, type Truth } from '../contracts/labels.js';

export interface ScoringOptions {
  /** Scoring threads; 0 scores on the calling thread (no time budget). */
  jobs?: number;
  /** Time budget per posting, in ms. */
  budgetMs?: number;
  onWarning?: (message: string) => void;
}

/** One pool per rule set, with the scan's defaults. */
export function openPools(rulesets: readonly RuleSetDefinition[], options: ScoringOptions): ScorePool[] {
  return rulesets.map(
    (ruleset) =>
      new ScorePool(ruleset.rules, ruleset.scoring, {
        jobs: options.jobs ?? defaultJobs(),
        budgetMs: options.budgetMs ?? DEFAULT_BUDGET_MS,
        budgetPerMbMs: 2000,
        ...(ruleset.plan !== undefined ? { plan: ruleset.plan } : {}),
        fingerprint: ruleset.fingerprint,
        ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      }),
  );
}

/** A posting with one record per pool (a verdict, or an error such as SCORE_TIMEOUT), or a read error. */
export type CorpusItem = { posting: Posting; records: OutputRecord[] } | { readError: ErrorRecord };

const BATCH = 64;

/**
 * Score postings (already read) with every pool, in order; a read error passes through in its place.
 * Batches go out in input order and several are in flight at once (three a thread of the busiest
 * pool, as a scan keeps them), so every scoring thread has work; the next batch is read only when
 * the oldest is taken, which keeps memory bounded.
 */
export async function* scorePostings(items: AsyncIterable<ReadItem>, pools: readonly ScorePool[]): AsyncGenerator<CorpusItem> {
  const window = Math.max(2, 3 * Math.max(0, ...pools.map((pool) => pool.jobs)));
  const submit = (batch: ReadItem[]): Promise<OutputRecord[][]> => {
    const toScore = batch.flatMap((item) => (item.kind === 'posting' ? [item.posting] : []));
    return Promise.all(pools.map((pool) => pool.score(toScore)));
  };
  for await (const { batch, result: results } of inOrderBatches(items, (batch) => batch.length >= BATCH, submit, window)) {
    let next = 0;
    for (const item of batch) {
      if (item.kind === 'error') yield { readError: item.record };
      else {
        const i = next++;
        yield { posting: item.posting, records: results.map((records) => records[i]!) };
      }
    }
  }
}

/** How a corpus is read: a column mapping (its `label` names the answer key) and what label values mean. */
export interface CorpusOptions {
  map?: Record<string, string>;
  labelMap?: Readonly<Record<string, Truth>>;
}

/**
 * Postings and read errors from files and folders, as `scan` reads them; with a label map, each
 * posting's label is given as the answer-key value it means (`2` as `employment-fraud`), so the
 * toolkit reads every label the way `train` and `eval` do.
 */
export async function* readCorpus(inputs: readonly string[], options: CorpusOptions = {}): AsyncGenerator<ReadItem> {
  const mapped = Object.keys(options.labelMap ?? {}).length > 0;
  for await (const item of readInputs(await planInputs(inputs), options.map ? { map: options.map } : {})) {
    if (mapped && item.kind === 'posting' && item.posting.label !== undefined)
      yield { kind: 'posting', posting: { ...item.posting, label: truthOf(item.posting.label, options.labelMap) ?? item.posting.label } };
    else yield item;
  }
}
