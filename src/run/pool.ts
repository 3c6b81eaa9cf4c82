// Scoring on worker threads with a per-posting time budget against pathological rules. The budget
// is counted on the scoring thread's CPU clock where the OS reports one (see clock.ts), and only
// while the thread is running that posting: never its start-up, never the time the batch queued.
// A posting that runs over is retried once on a fresh thread; only a second overrun makes it an
// error record naming the rule that was running, and the rest of its batch goes on. A rule in which
// a posting ran over twice, repeatedly, is switched off for the rest of the run, loudly: a warning on
// stderr, a line in the summary, and a RULE_DISABLED warning on every verdict scored without it.
import { availableParallelism, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Scorer } from '../model/model.js';
import type { ModelTables } from '../model/tables.js';
import type { CompiledRuleSet, CompilePlan, compileRuleSet } from '../rules/engine.js';
import type { PrefilterTables } from '../rules/prefilter-tables.js';
import type { RuleDef, ScoringConfig } from '../rules/schema.js';
import type { OutputRecord, Posting } from '../types.js';
import { threadClock, type ThreadClock } from './clock.js';
import { adoptPrestarted, WORKER_LIMITS, WORKER_URL } from './prestart.js';
import {
  PROGRESS,
  STATE,
  patternIdsOf,
  threadRulesOf,
  type DisabledRule,
  type ThreadRules,
  type WorkerInit,
  type WorkerMessage,
  type WorkerRequest,
} from './protocol.js';
import type { compiledRules } from './compiled-rules.js';
import type { WarmUp } from './warm-up.js';

export interface PoolOptions {
  /** Scoring threads; 0 scores on the calling thread with no time budget (tests, tiny inputs). */
  jobs: number;
  /** Time budget for one posting, in ms, plus `budgetPerMbMs` for each million characters it holds. */
  budgetMs: number;
  budgetPerMbMs?: number;
  includeText?: boolean;
  /** The rule set's compile plan (`loadRuleSet` makes one), for rules given as an array: threads compile from it. */
  plan?: CompilePlan;
  /** The prefilter of these rules and plan, in shared memory (`sharedPrefilter`): threads scan with it rather than build their own. */
  prefilter?: PrefilterTables;
  /**
   * The rule set's fingerprint, when `rules` are that set's rules as loaded (`loadRuleSet`): scoring
   * on the calling thread then reuses a compile of the same set made earlier in this process (by a
   * pool, `eval` or `rescore`: see run/compiled-rules.ts). Leave it out for rules changed after loading.
   */
  fingerprint?: string;
  /** The model's tables (shared by every thread); absent for rules only. */
  model?: ModelTables;
  explain?: boolean;
  /** Postings that ran over twice in one rule before the rule is switched off. */
  disableAfter?: number;
  onWarning?: (message: string) => void;
}

/**
 * A rule set whose rules the calling thread does not hold (run/rules-head.ts): the threads parse
 * them from shared memory, and scoring on the calling thread (`jobs: 0`) loads them whole.
 */
export interface RulesForThreads {
  /** Ids of the live pattern rules, in the order a compiled set holds them. */
  patternIds: readonly string[];
  /** `ThreadRules` as UTF-8 JSON in shared memory, its plan slim: for a pool given the set's `prefilter`. */
  threadRules: Uint8Array;
  /** The whole set, with its plan. */
  load(): Promise<{ rules: RuleDef[]; plan?: CompilePlan }>;
}

interface Task {
  postings: Posting[];
  /** Results decided without a worker (timeouts, crashes), by position in `postings`. */
  fixed: Map<number, OutputRecord>;
  /** Postings that ran over once, with the rule that was running (undefined: preparing the text); their next run is the retry. */
  overran: Map<number, string | undefined>;
  resolve: (records: OutputRecord[]) => void;
}

interface Slot {
  worker: Worker;
  progress: Int32Array;
  /** Set when the thread reports ready; until then no budget runs. */
  clock?: ThreadClock;
  task?: Task;
  /** Indexes (into task.postings) sent to the worker, in order. */
  sent: number[];
  /** The worker's `started` counter when the batch was sent. */
  base: number;
  /** The `started` counter last seen, and the clock's reading when it was first seen. */
  seen: number;
  since: number;
}

/** Threads in a row that may fail before they are ready before the pool stops starting them. */
const START_ATTEMPTS = 3;

/**
 * Memory budgeted for one more scoring thread: its compiled rules, its regexes' machine code and its
 * caches; the model's tables are shared. Measured at about 100 MB a thread with `scan`'s heap
 * setting (run/heap-settings.ts, from two threads: 375, 460 and 568 MB peak at 2 to 4 threads on
 * 50,000 bench rows); the budget keeps a margin because a peak swings by tens of MB with when
 * threads collect.
 */
export const THREAD_MEMORY_BYTES = 150 * 1024 * 1024;

/** The default pool: a thread per core, as many as fit in half the machine's memory at THREAD_MEMORY_BYTES each. */
export function defaultJobs(cores = availableParallelism(), memory = totalmem()): number {
  return Math.max(1, Math.min(cores, Math.floor(memory / 2 / THREAD_MEMORY_BYTES)));
}

function postingChars(posting: Posting): number {
  let total = 0;
  for (const value of Object.values(posting.fields)) total += value.length;
  return total;
}

const failed = (posting: Posting, error: Error): OutputRecord => ({
  id: posting.id,
  source: posting.source,
  error: { code: 'SCORE_FAILED', message: `scoring failed: ${error.message}` },
});

const where = (rule: string | undefined): string => (rule !== undefined ? `in rule ${rule}` : 'while preparing its text');

export class ScorePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  /**
   * Scoring on this thread (`jobs: 0`): the rules compiled, the model's scorer and the scoring code,
   * loaded on first use. With threads, this thread never scores, so it loads none of it (the
   * language detector's profiles, the stemmer, the engine: about 0.1 s of a scan's start).
   */
  private local: Promise<{ set: CompiledRuleSet; scorer?: Scorer; scorePosting: typeof import('../score/index.js').scorePosting }> | undefined;
  /** Ids of the pattern rules in the order a compiled set holds them (the progress array's rule index). */
  private readonly patternIds: string[];
  /**
   * The rules and plan as threads get them (`threadRulesOf`), made as the first thread starts (a
   * pool scoring on the calling thread never needs them); or, for rules given as `RulesForThreads`,
   * their bytes in shared memory.
   */
  private forThreads: ThreadRules | Uint8Array | undefined;
  /** Per rule: postings that ran over twice in it. */
  private readonly timeouts = new Map<string, number>();
  private readonly switchedOff: DisabledRule[] = [];
  /** Threads in a row that failed before reporting ready; a ready thread resets it. */
  private startFailures = 0;
  /** Set once threads cannot start (START_ATTEMPTS failures in a row): every posting left is an error record. */
  private broken: string | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private closed = false;
  /** Rules switched off, in the order it happened. */
  readonly disabled: string[] = [];

  /** Scoring threads at most (0: the calling thread): how many batches a caller keeps in flight to keep them busy. */
  get jobs(): number {
    return this.options.jobs;
  }

  constructor(
    private readonly rules: RuleDef[] | RulesForThreads,
    private readonly scoring: ScoringConfig,
    private readonly options: PoolOptions,
  ) {
    if (!Array.isArray(rules) && options.prefilter === undefined) throw new TypeError('rules given as bytes need the prefilter their plan was slimmed for');
    this.patternIds = Array.isArray(rules) ? patternIdsOf(rules) : [...rules.patternIds];
    // Threads start when there is work for them (see dispatch): a one-posting scan starts one.
    if (options.jobs > 0) {
      this.watchdog = setInterval(() => this.check(), Math.min(100, Math.max(10, options.budgetMs / 10)));
      this.watchdog.unref();
    }
  }

  private spawn(warmUp: WarmUp): Slot {
    const progress = new SharedArrayBuffer(PROGRESS.length * Int32Array.BYTES_PER_ELEMENT);
    const { plan, prefilter } = this.options;
    this.forThreads ??= Array.isArray(this.rules) ? threadRulesOf(this.rules, plan, prefilter !== undefined) : this.rules.threadRules;
    const init: WorkerInit = {
      rules: this.forThreads,
      scoring: this.scoring,
      ...(this.options.prefilter !== undefined ? { prefilter: this.options.prefilter } : {}),
      includeText: this.options.includeText ?? false,
      ...(this.options.model !== undefined ? { model: this.options.model } : {}),
      explain: this.options.explain ?? false,
      disabled: [...this.switchedOff],
      warmUp,
      progress,
    };
    const adopted = adoptPrestarted();
    const worker = adopted ?? new Worker(WORKER_URL, { ...WORKER_LIMITS, workerData: init });
    if (adopted !== undefined) adopted.postMessage(init);
    const slot: Slot = { worker, progress: new Int32Array(progress), sent: [], base: 0, seen: 0, since: 0 };
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') {
        slot.clock = threadClock(message.tid);
        this.startFailures = 0;
      } else this.finish(slot, message.results);
    });
    worker.on('error', (error) => {
      if (slot.clock === undefined) this.startFailed(slot, error.message);
      else this.crashed(slot, `the scoring thread failed: ${error.message}`);
    });
    worker.unref();
    return slot;
  }

  private loadLocal(): NonNullable<ScorePool['local']> {
    this.local ??= Promise.all([import('../score/index.js'), import('../rules/engine.js'), import('./compiled-rules.js'), import('../model/tables.js')]).then(
      async ([{ scorePosting }, { compileRuleSet }, { compiledRules }, { scorerOf }]) => ({
        set: this.compiledHere(
          compileRuleSet,
          compiledRules,
          Array.isArray(this.rules) ? { rules: this.rules, plan: this.options.plan } : await this.rules.load(),
        ),
        ...(this.options.model !== undefined ? { scorer: scorerOf(this.options.model) } : {}),
        scorePosting,
      }),
    );
    return this.local;
  }

  /** This pool's rules compiled for the calling thread: the process's compile of the set when it has a fingerprint (run/compiled-rules.ts). */
  private compiledHere(
    compile: typeof compileRuleSet,
    kept: typeof compiledRules,
    { rules, plan }: { rules: RuleDef[]; plan?: CompilePlan | undefined },
  ): CompiledRuleSet {
    const { fingerprint, prefilter } = this.options;
    if (fingerprint === undefined) return compile(rules, this.scoring, plan, prefilter);
    return kept({ rules, fingerprint, plan }, this.scoring, prefilter);
  }

  /** Scoring threads started so far (they start as work arrives, up to `jobs`). */
  get threads(): number {
    return this.slots.length;
  }

  /** Score a batch; resolves with one record per posting, in order. */
  score(postings: Posting[]): Promise<OutputRecord[]> {
    if (this.options.jobs === 0) {
      return this.loadLocal().then(
        (local) => postings.map((posting) => this.scoreHere(local, posting)),
        (error: Error) => postings.map((posting) => failed(posting, error)),
      );
    }
    if (this.broken !== undefined) return Promise.resolve(postings.map((posting) => this.cannotStart(posting)));
    return new Promise((resolve) => {
      this.queue.push({ postings, fixed: new Map(), overran: new Map(), resolve });
      this.dispatch();
    });
  }

  private scoreHere(local: Awaited<NonNullable<ScorePool['local']>>, posting: Posting): OutputRecord {
    try {
      return local.scorePosting(local.set, posting, {
        includeText: this.options.includeText ?? false,
        ...(local.scorer ? { model: local.scorer } : {}),
        explain: this.options.explain ?? false,
      });
    } catch (error) {
      return failed(posting, error as Error);
    }
  }

  /**
   * Hand queued batches to idle threads, starting another thread (up to `jobs`) while batches wait
   * and every thread is busy: a thread costs a start-up (compiling the rules, a warm-up), which a
   * small input should not pay once per core.
   */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue;
      this.assign(slot, this.queue.shift()!);
    }
    while (this.queue.length > 0 && this.slots.length < this.options.jobs && !this.closed && this.broken === undefined) {
      const slot = this.spawn('light');
      this.slots.push(slot);
      this.assign(slot, this.queue.shift()!);
    }
  }

  /** Send a batch's undecided postings to a thread (which may still be starting: they wait for it). */
  private assign(slot: Slot, task: Task): void {
    slot.task = task;
    slot.sent = task.postings.map((_, i) => i).filter((i) => !task.fixed.has(i));
    if (slot.sent.length === 0) {
      this.finish(slot, []);
      return;
    }
    slot.base = Atomics.load(slot.progress, PROGRESS.started);
    slot.seen = slot.base;
    slot.worker.ref();
    slot.worker.postMessage({ postings: slot.sent.map((i) => task.postings[i]!) } satisfies WorkerRequest);
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

  private budgetFor(posting: Posting): number {
    return this.options.budgetMs + ((this.options.budgetPerMbMs ?? 0) * postingChars(posting)) / 1e6;
  }

  /**
   * The watchdog. A posting's clock starts when the watchdog first sees its thread on it, so it can
   * only undercount (by at most one tick), never charge a posting for what came before it.
   */
  private check(): void {
    for (const slot of this.slots) {
      if (!slot.task || !slot.clock) continue;
      if (Atomics.load(slot.progress, PROGRESS.state) !== STATE.scoring) continue;
      const started = Atomics.load(slot.progress, PROGRESS.started);
      const now = slot.clock.now();
      if (Number.isNaN(now)) continue;
      if (started !== slot.seen) {
        slot.seen = started;
        slot.since = now;
        continue;
      }
      const index = slot.sent[started - slot.base - 1];
      if (index === undefined) continue;
      const budget = this.budgetFor(slot.task.postings[index]!);
      if (now - slot.since <= budget) continue;
      const ruleIndex = Atomics.load(slot.progress, PROGRESS.rule);
      const rule = ruleIndex >= 0 ? this.patternIds[ruleIndex] : undefined;
      this.overran(slot, index, rule, `${Math.round(budget)} ms${slot.clock.kind === 'cpu' ? ' CPU' : ''}`);
    }
  }

  /** A posting ran over: the first time it is retried on a fresh thread, the second it is skipped. */
  private overran(slot: Slot, index: number, rule: string | undefined, budget: string): void {
    const task = slot.task!;
    if (!task.overran.has(index)) {
      task.overran.set(index, rule);
      this.replace(slot, false);
      return;
    }
    const first = task.overran.get(index);
    const message =
      first === rule
        ? `scoring ran over its ${budget} budget twice ${where(rule)}, the second time on a fresh thread; posting skipped`
        : `scoring ran over its ${budget} budget twice, first ${where(first)}, then on a fresh thread ${where(rule)}; posting skipped`;
    const posting = task.postings[index]!;
    task.fixed.set(index, { id: posting.id, source: posting.source, error: { code: 'SCORE_TIMEOUT', message } });
    // Counted only when both runs stalled in the same rule: then it is the rule, not a slow moment.
    this.replace(slot, rule !== undefined && rule === first && this.countTimeout(rule));
  }

  /**
   * A thread failed before it was ready (compiling the rules, loading the model, its warm-up): no
   * posting is to blame, so its batch goes whole to a fresh thread. After START_ATTEMPTS failures in
   * a row threads are not started again: the failure is not a moment's (a broken install, a rule
   * set or model the thread cannot load), and restarting would loop for ever. Every posting not yet
   * scored, queued or to come, then becomes a SCORE_CRASHED error record saying why.
   */
  private startFailed(slot: Slot, message: string): void {
    this.startFailures++;
    if (this.startFailures < START_ATTEMPTS) {
      this.replace(slot, false);
      return;
    }
    this.broken = `a scoring thread could not start (${this.startFailures} attempts): ${message}`;
    for (const other of this.slots) void other.worker.terminate();
    const tasks = [...this.slots.flatMap((other) => (other.task ? [other.task] : [])), ...this.queue.splice(0)];
    this.slots.length = 0;
    for (const task of tasks) task.resolve(task.postings.map((posting, i) => task.fixed.get(i) ?? this.cannotStart(posting)));
  }

  private cannotStart(posting: Posting): OutputRecord {
    return { id: posting.id, source: posting.source, error: { code: 'SCORE_CRASHED', message: this.broken! } };
  }

  /** The thread failed: the posting it was on becomes an error record (a crash is not retried). */
  private crashed(slot: Slot, message: string): void {
    const task = slot.task;
    if (task) {
      const running = Atomics.load(slot.progress, PROGRESS.started) - slot.base - 1;
      const index = slot.sent[running] ?? slot.sent[0]!;
      const posting = task.postings[index]!;
      task.fixed.set(index, { id: posting.id, source: posting.source, error: { code: 'SCORE_CRASHED', message } });
    }
    this.replace(slot, false);
  }

  /** Stop a thread and start a fresh one, which takes over the rest of the batch. */
  private replace(slot: Slot, newlyDisabled: boolean): void {
    // A thread already replaced (an error it reported while being stopped) has nothing left to hand over.
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    const task = slot.task;
    // Cleared first, so a message the stopped thread had already sent is ignored.
    slot.task = undefined;
    void slot.worker.terminate();
    // Spawned after the rule list is updated, so the fresh thread already leaves a disabled rule out.
    // Fully warmed: it may run a retry, which must not pay for a first use (see warm-up.ts).
    const fresh = this.spawn('full');
    this.slots[at] = fresh;
    if (newlyDisabled) {
      // Idle threads are replaced too; busy ones finish their batch with the rule still on.
      for (let i = 0; i < this.slots.length; i++) {
        const other = this.slots[i]!;
        if (other === fresh || other.task) continue;
        void other.worker.terminate();
        this.slots[i] = this.spawn('full');
      }
    }
    if (!task || this.closed) return;
    // Straight to the fresh thread rather than the queue: a retry runs on a thread that started clean.
    this.assign(fresh, task);
  }

  /** Count a posting that ran over twice in a rule; true when this switches the rule off. */
  private countTimeout(rule: string): boolean {
    const count = (this.timeouts.get(rule) ?? 0) + 1;
    this.timeouts.set(rule, count);
    if (count < (this.options.disableAfter ?? 3) || this.disabled.includes(rule)) return false;
    this.disabled.push(rule);
    this.switchedOff.push({ rule, timeouts: count });
    this.options.onWarning?.(
      `rule ${rule} switched off for the rest of this run after ${count} timeouts; verdicts scored without it carry a RULE_DISABLED warning`,
    );
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
