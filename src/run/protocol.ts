// What the pool and its scoring threads share: the start-up data and the rules' form in it, the
// messages, the layout of the progress array the watchdog reads, and the warning a verdict carries
// for a switched-off rule.
import type { ModelTables } from '../model/tables.js';
import type { CompilePlan } from '../rules/engine.js';
import type { PrefilterTables } from '../rules/prefilter.js';
import { threadPlan } from '../rules/prefilter-tables.js';
import type { RuleDef, ScoringConfig } from '../rules/schema.js';
import type { OutputRecord, Posting, Warning } from '../types.js';
import type { WarmUp } from './warm-up.js';

/** A rule switched off after timing out, and how many timeouts it took. */
export interface DisabledRule {
  rule: string;
  timeouts: number;
}

/** The rules and plan a scoring thread compiles. */
export interface ThreadRules {
  rules: RuleDef[];
  /** The rule set's compile plan, so a thread does not work it out again (engine.ts). */
  plan?: CompilePlan;
}

export interface WorkerInit {
  /** The rules and plan, or `ThreadRules` as UTF-8 JSON in shared memory for the thread to parse (run/rules-head.ts). */
  rules: ThreadRules | Uint8Array;
  scoring: ScoringConfig;
  /** The rule set's prefilter, built once in shared memory (engine.ts `sharedPrefilter`). */
  prefilter?: PrefilterTables;
  includeText: boolean;
  /** The model's tables, in shared memory: every thread reads the one copy. */
  model?: ModelTables;
  explain: boolean;
  /** Rules left out; every verdict the thread scores says so (RULE_DISABLED). */
  disabled: DisabledRule[];
  /** What the thread scores before it reports ready (see warm-up.ts). */
  warmUp: WarmUp;
  /** Int32 slots, laid out as PROGRESS says. */
  progress: SharedArrayBuffer;
}

/** Positions in the shared progress array. */
export const PROGRESS = {
  /** Postings started so far (the watchdog's clock restarts when it changes). */
  started: 0,
  /** Index of the pattern rule running, -1 while the posting's text is prepared. */
  rule: 1,
  /** One of STATE. */
  state: 2,
  length: 3,
} as const;

/** A thread is `starting` until it has compiled, loaded and warmed up; only `scoring` time counts. */
export const STATE = { starting: 0, idle: 1, scoring: 2 } as const;

export interface WorkerRequest {
  postings: Posting[];
}

/** `tid`: the thread's OS id, for the pool to read its CPU time (Linux). */
export type WorkerMessage = { kind: 'ready'; tid?: number } | { kind: 'results'; results: OutputRecord[] };

/** The warnings a verdict carries for the rules it was scored without. */
export function disabledWarnings(disabled: readonly DisabledRule[]): Warning[] {
  return disabled.map(({ rule, timeouts }) => ({
    code: 'RULE_DISABLED',
    message: `rule ${rule} was switched off after ${timeouts} timeouts; this posting was scored without it`,
  }));
}

/** Ids of the live pattern rules, as compileRuleSet orders them: live rules, then the pattern rules among them. */
export function patternIdsOf(rules: readonly RuleDef[]): string[] {
  return rules.filter((rule) => rule.status !== 'deprecated' && rule.type === 'pattern').map((rule) => rule.id);
}

/**
 * Rules and plan as scoring threads take them: each rule without its examples, references and
 * notes (most of what was copied to every thread as it started); with `slim`, the plan without the
 * prefilter's strings (`threadPlan`), for threads given the prefilter's tables.
 */
export function threadRulesOf(rules: readonly RuleDef[], plan: CompilePlan | undefined, slim: boolean): ThreadRules {
  return {
    rules: rules.map(({ examples, references, falsepositives, title, redosExempt, ...scoring }) => ({
      ...scoring,
      title: '',
      references: [],
      examples: { match: [], nomatch: [] },
    })),
    ...(plan !== undefined ? { plan: slim ? threadPlan(plan) : plan } : {}),
  };
}

/** `ThreadRules` from its UTF-8 JSON (on a scoring thread). */
export function parseThreadRules(bytes: Uint8Array): ThreadRules {
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as ThreadRules;
}
