// Scoring on worker threads with a per-posting time budget: a posting that runs over is reported as an
// error record naming the rule that was running, its thread is replaced, and the scan goes on. A rule
// that times out repeatedly is switched off for the rest of the run.
import { Worker } from 'node:worker_threads';
import { loadScorer, type Scorer } from '../model/model.js';
import { compileRuleSet, type CompiledRuleSet } from '../rules/engine.js';
import type { RuleDef, ScoringConfig } from '../rules/schema.js';
import type { ErrorRecord, OutputRecord, Posting } from '../types.js';
import { scorePosting } from './index.js';
import type { WorkerInit } from './worker.js';

export interface PoolOptions {
  /** Scoring threads; 0 scores on the calling thread with no time budget (tests, tiny inputs). */
  jobs: number;
  /** Time budget for one posting, in ms, plus `budgetPerMbMs` for each million characters it holds. */
  budgetMs: number;
  budgetPerMbMs?: number;
  includeText?: boolean;
  /** A model file's text, parsed once per thread; absent for rules only. */
  modelText?: string;
  explain?: boolean;
  /** Timeouts of one rule before it is switched off. */
  disableAfter?: number;
  onWarning?: (message: string) => void;
}

interface Task {
  postings: Posting[];
  /** Results decided without a worker (timeouts), by position in `postings`. */
  fixed: Map<number, OutputRecord>;
  resolve: (records: OutputRecord[]) => void;
}

interface Slot {
  worker: Worker;
  progress: Int32Array;
  task?: Task;
  /** Indexes (into task.postings) sent to the worker, in order. */
  sent: number[];
  startedAt: number;
  seen: number;
  lastChange: number;
}

const WORKER_URL = new URL('./worker.js', import.meta.url);

function postingChars(posting: Posting): number {
  let total = 0;
  for (const value of Object.values(posting.fields)) total += value.length;
  return total;
}

export class ScorePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly compiled: CompiledRuleSet;
  private scorer: Scorer | undefined;
  private readonly timeouts = new Map<string, number>();
  private readonly skip = new Set<string>();
  private watchdog: NodeJS.Timeout | undefined;
  private closed = false;
  readonly disabled: string[] = [];

  constructor(
    private readonly rules: RuleDef[],
    private readonly scoring: ScoringConfig,
    private readonly options: PoolOptions,
  ) {
    this.compiled = compileRuleSet(rules, scoring);
    for (let i = 0; i < options.jobs; i++) this.slots.push(this.spawn());
    if (options.jobs > 0) {
      this.watchdog = setInterval(() => this.check(), Math.min(100, Math.max(10, options.budgetMs / 10)));
      this.watchdog.unref();
    }
  }

  private spawn(): Slot {
    const progress = new SharedArrayBuffer(8);
    const init: WorkerInit = {
      rules: this.rules,
      scoring: this.scoring,
      includeText: this.options.includeText ?? false,
      ...(this.options.modelText !== undefined ? { modelText: this.options.modelText } : {}),
      explain: this.options.explain ?? false,
      skip: [...this.skip],
      progress,
    };
    const worker = new Worker(WORKER_URL, { workerData: init });
    const slot: Slot = { worker, progress: new Int32Array(progress), sent: [], startedAt: 0, seen: 0, lastChange: 0 };
    worker.on('message', (results: OutputRecord[]) => this.finish(slot, results));
    worker.on('error', (error) => this.fail(slot, 'SCORE_CRASHED', `the scoring thread failed: ${error.message}`));
    worker.unref();
    return slot;
  }

  /** Score a batch; resolves with one record per posting, in order. */
  score(postings: Posting[]): Promise<OutputRecord[]> {
    if (this.options.jobs === 0) {
      return Promise.resolve(postings.map((posting) => this.scoreHere(posting)));
    }
    return new Promise((resolve) => {
      this.queue.push({ postings, fixed: new Map(), resolve });
      this.dispatch();
    });
  }

  private scoreHere(posting: Posting): OutputRecord {
    try {
      if (this.options.modelText !== undefined) this.scorer ??= loadScorer(this.options.modelText).scorer;
      return scorePosting(this.compiled, posting, {
        includeText: this.options.includeText ?? false,
        ...(this.scorer ? { model: this.scorer } : {}),
        explain: this.options.explain ?? false,
      });
    } catch (error) {
      return { id: posting.id, source: posting.source, error: { code: 'SCORE_FAILED', message: `scoring failed: ${(error as Error).message}` } };
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.sent = task.postings.map((_, i) => i).filter((i) => !task.fixed.has(i));
      slot.startedAt = Atomics.load(slot.progress, 0);
      slot.seen = slot.startedAt;
      slot.lastChange = Date.now();
      if (slot.sent.length === 0) {
        this.finish(slot, []);
        continue;
      }
      slot.worker.ref();
      slot.worker.postMessage({ postings: slot.sent.map((i) => task.postings[i]!) });
    }
  }

  private finish(slot: Slot, results: OutputRecord[]): void {
    const task = slot.task;
    if (!task) return;
    slot.task = undefined;
    slot.worker.unref();
    const merged: OutputRecord[] = [];
    let next = 0;
    for (let i = 0; i < task.postings.length; i++) merged.push(task.fixed.get(i) ?? results[next++]!);
    task.resolve(merged);
    this.dispatch();
  }

  /** The watchdog: a thread whose current posting has run over budget is replaced. */
  private check(): void {
    const now = Date.now();
    for (const slot of this.slots) {
      if (!slot.task) continue;
      const started = Atomics.load(slot.progress, 0);
      if (started !== slot.seen) {
        slot.seen = started;
        slot.lastChange = now;
        continue;
      }
      const running = started - slot.startedAt - 1;
      const index = slot.sent[running];
      if (index === undefined) continue;
      const posting = slot.task.postings[index]!;
      const budget = this.options.budgetMs + ((this.options.budgetPerMbMs ?? 0) * postingChars(posting)) / 1e6;
      if (now - slot.lastChange <= budget) continue;
      const ruleIndex = Atomics.load(slot.progress, 1);
      const rule = ruleIndex >= 0 ? this.compiled.patterns[ruleIndex]?.def.id : undefined;
      const where = rule ? ` in rule ${rule}` : ' while preparing its text';
      this.replace(slot, running, 'SCORE_TIMEOUT', `scoring took longer than its ${Math.round(budget)} ms budget${where}; posting skipped`, rule);
    }
  }

  private fail(slot: Slot, code: string, message: string): void {
    const running = Atomics.load(slot.progress, 0) - slot.startedAt - 1;
    this.replace(slot, Math.max(0, running), code, message, undefined);
  }

  /** Record the running posting as an error, start a fresh thread, and requeue the rest of the batch. */
  private replace(slot: Slot, running: number, code: string, message: string, rule: string | undefined): void {
    const task = slot.task;
    void slot.worker.terminate();
    const newlyDisabled = rule !== undefined && this.countTimeout(rule);
    // Spawned after the skip set is updated, so the fresh thread already leaves a disabled rule out.
    const fresh = this.spawn();
    this.slots[this.slots.indexOf(slot)] = fresh;
    if (newlyDisabled) {
      // Idle threads are replaced too; busy ones finish their batch with the rule still on.
      for (let i = 0; i < this.slots.length; i++) {
        const other = this.slots[i]!;
        if (other === fresh || other.task) continue;
        void other.worker.terminate();
        this.slots[i] = this.spawn();
      }
    }
    if (!task || this.closed) return;
    const index = slot.sent[running] ?? slot.sent[0]!;
    const posting = task.postings[index]!;
    const record: ErrorRecord = { id: posting.id, source: posting.source, error: { code, message } };
    task.fixed.set(index, record);
    this.queue.unshift(task);
    this.dispatch();
  }

  /** Count a rule's timeout; true when this one switches the rule off. */
  private countTimeout(rule: string): boolean {
    const count = (this.timeouts.get(rule) ?? 0) + 1;
    this.timeouts.set(rule, count);
    if (count < (this.options.disableAfter ?? 3) || this.skip.has(rule)) return false;
    this.skip.add(rule);
    this.disabled.push(rule);
    this.options.onWarning?.(`rule ${rule} switched off for the rest of this run after ${count} timeouts`);
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
