// Scoring a corpus for the toolkit: inputs read with the scan's readers, scored in batches by one or
// more pools (one per rule set), so a pathological rule costs a posting its verdict, not the run.
import { availableParallelism } from 'node:os';
import type { RuleSetDefinition } from '../rules/ruleset.js';
import { ScorePool } from '../score/pool.js';
import { planInputs, readInputs } from '../sources/index.js';
import type { ErrorRecord, OutputRecord, Posting } from '../types.js';

export interface ScoringOptions {
  /** Scoring threads; 0 scores on the calling thread (no time budget). */
  jobs?: number;
  /** Time budget per posting, in ms. */
  budgetMs?: number;
  onWarning?: (message: string) => void;
}

export function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** One pool per rule set, with the scan's defaults. */
export function openPools(rulesets: readonly RuleSetDefinition[], options: ScoringOptions): ScorePool[] {
  return rulesets.map(
    (ruleset) =>
      new ScorePool(ruleset.rules, ruleset.scoring, {
        jobs: options.jobs ?? defaultJobs(),
        budgetMs: options.budgetMs ?? 5000,
        budgetPerMbMs: 2000,
        ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      }),
  );
}

/** A posting with one record per pool (a verdict, or an error such as SCORE_TIMEOUT), or a read error. */
export type CorpusItem = { posting: Posting; records: OutputRecord[] } | { readError: ErrorRecord };

const BATCH = 64;

/** Score postings (already read) with every pool, in order. */
export async function* scorePostings(postings: AsyncIterable<Posting | ErrorRecord>, pools: readonly ScorePool[]): AsyncGenerator<CorpusItem> {
  let batch: (Posting | ErrorRecord)[] = [];
  const flush = async function* (): AsyncGenerator<CorpusItem> {
    const toScore = batch.filter((item): item is Posting => !('error' in item));
    const results = await Promise.all(pools.map((pool) => pool.score(toScore)));
    let next = 0;
    for (const item of batch) {
      if ('error' in item) yield { readError: item };
      else {
        const i = next++;
        yield { posting: item, records: results.map((records) => records[i]!) };
      }
    }
    batch = [];
  };
  for await (const item of postings) {
    batch.push(item);
    if (batch.length >= BATCH) yield* flush();
  }
  if (batch.length > 0) yield* flush();
}

/** Postings and read errors from files and folders, as `scan` reads them. */
export async function* readCorpus(inputs: readonly string[]): AsyncGenerator<Posting | ErrorRecord> {
  for await (const item of readInputs(await planInputs(inputs))) yield item.kind === 'posting' ? item.posting : item.record;
}
