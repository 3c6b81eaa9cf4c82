// The scoring pool's time budget on the built binary: a pathological rule costs a posting its verdict
// only after a retry, a rule switched off says so on every verdict scored without it, and ordinary
// postings never time out because of start-up or a busy machine. No assertion here rests on the
// machine being idle: the slow postings run for hours if left alone, the ordinary ones need a few
// milliseconds of work, and the budget counts work (see src/run/clock.ts). The `binary:` blocks run
// the built binary (runBinary) on purpose: the threads, their start-up and their budget as a user's
// process runs them, not inside the test runner's worker.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { threadClock } from '../../src/run/clock.js';
import { defaultJobs, THREAD_MEMORY_BYTES } from '../../src/run/pool.js';
import { scansOnThreads } from '../../src/run/prestart.js';
import type { ErrorRecord, OutputRecord, Verdict } from '../../src/types.js';
import { jsonLines, runBinary, runMain, tempDir } from '../helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = path.join(root, 'fixtures/postings');

const records = (stdout: string): OutputRecord[] => jsonLines<OutputRecord>(stdout);
const isError = (record: OutputRecord): record is ErrorRecord => 'error' in record;

function summaryCounts(stderr: string): { read: number; scored: number; errors: number } {
  const m = /read (\d+) = scored (\d+) \+ errors (\d+)/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return { read: Number(m![1]), scored: Number(m![2]), errors: Number(m![3]) };
}

const SLOW_RULE = 'FC-TEST-PATHOLOGICAL';

/**
 * A rule that backtracks for hours on a long run of `a` followed by `b` (Fibonacci many ways to
 * split the run) and never matches ordinary text, anchored as it is at both ends.
 */
const SLOW_YAML = `rules:
  - id: ${SLOW_RULE}
    title: catastrophic backtracking, planted
    label: forced-criminality
    category: destination
    points: 1
    fields: [description]
    redos-exempt: "planted to prove the time budget; never shipped"
    any: [{regex: '^(a|aa)+$'}]
`;

const SLOW_TEXT = `${'a'.repeat(64)}b`;

/**
 * The budget the planted rule runs against, in ms. Each slow posting burns it twice (its first run
 * and the retry), so the tests below wait that long per slow posting, and no longer than they need
 * to: the ordinary postings scored beside it take well under a millisecond of work each on a thread
 * already warmed up, counted on the thread's CPU clock, which a loaded machine does not advance.
 */
const TIGHT_BUDGET = '50';

/** Two ordinary rules, enough to flag a lure and an advance fee: the rules a posting is scored with beside the slow one. */
const ORDINARY_YAML = `rules:
  - id: FC-TEST-HUB
    title: a hub town
    label: forced-criminality
    category: destination
    points: 8
    any: [{keywords: [poipet, sihanoukville]}]
  - id: EF-TEST-FEE
    title: a fee first
    label: employment-fraud
    category: advance-fee
    points: 6
    any: [{keywords: [registration fee]}]
`;

/**
 * A rules folder of the ordinary rules, and one of the same with the pathological rule added (a
 * small rule set: a fresh process and each fresh thread parse and compile it in milliseconds; the
 * budget, not the rules, is what the tests below are about).
 */
function ruleFolders(): { ordinary: string; planted: string } {
  const dir = tempDir('lurescan-pool-rules-');
  const ordinary = path.join(dir, 'ordinary');
  const planted = path.join(dir, 'planted');
  for (const folder of [ordinary, planted]) {
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'r.yaml'), ORDINARY_YAML);
  }
  writeFileSync(path.join(planted, 'zz-slow.yaml'), SLOW_YAML);
  return { ordinary, planted };
}

const ORDINARY = [
  {
    title: 'Customer service (English) - Sihanoukville',
    description: 'Free flight and visa, no experience needed. Contact us on Telegram @hr_kh. USD 2,000 a month.',
  },
  { title: 'Registered nurse', description: 'Our hospital in Manila hires registered nurses. Apply through our careers site; PRC licence required.' },
  { title: 'Data entry from home', description: 'Pay a registration fee of $50 first, then we send you a cheque to buy your equipment.' },
  { title: 'Warehouse associate', description: 'Full-time warehouse work in Leeds, 40 hours a week, paid holidays, apply online.' },
];

function jsonl(rows: Record<string, string>[]): string {
  return `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;
}

describe('binary: scoring threads', () => {
  it('score as the calling thread does, the first one started while the rules and the model are read, and never count start-up', async () => {
    // `scan` starts its first thread before it reads the rules and the model, and hands them over
    // once read (run/prestart.ts; the binary starts it before it loads the CLI); the second thread starts as work arrives (164
    // postings: three batches). The calling thread's verdicts in-process: the same code, without a
    // second process to start, and without a time budget.
    // The budget does not count start-up: loading the shipped model in a thread takes far longer than
    // 200 ms; scoring a posting takes a few ms of work. Before the clock excluded start-up, most of
    // asia-multilingual.jsonl timed out.
    // At two threads in its own process, `scan` also sets its V8 heap setting (run/heap-settings.ts,
    // test/process/heap-settings.test.ts): the same bytes as the in-process scan, which never sets it, show
    // that the setting changes no verdict.
    const inputs = [path.join(fixtures, 'fc-en.csv'), path.join(fixtures, 'asia-multilingual.jsonl')];
    const [threads, here] = await Promise.all([
      runBinary(['scan', ...inputs, '--jobs', '2', '--explain', '--time-budget', '200']),
      runMain(['scan', ...inputs, '--jobs', '0', '--explain']),
    ]);
    expect(threads.code, threads.stderr).toBe(here.code);
    const verdicts = records(threads.stdout);
    expect(verdicts.length).toBeGreaterThan(128);
    expect(verdicts.filter(isError)).toEqual([]);
    expect(verdicts.some((r) => !isError(r) && (r as Verdict).model !== undefined)).toBe(true);
    expect(threads.stdout).toBe(here.stdout);
    expect(summaryCounts(threads.stderr)).toEqual({ read: verdicts.length, scored: verdicts.length, errors: 0 });
    expect(threads.stderr).not.toContain('switched off');
  }, 120_000);
});

describe('binary: a pathological rule against the time budget', () => {
  it('makes a posting SCORE_TIMEOUT only after a retry on a fresh thread; the rest of the file gets ordinary verdicts', async () => {
    const rules = ruleFolders();
    const rows = ORDINARY.map((fields, i) => ({ id: `o${i + 1}`, ...fields }));
    rows.splice(2, 0, { id: 'slow', title: 'Clerk', description: SLOW_TEXT });
    const dir = tempDir('lurescan-pool-');
    const input = path.join(dir, 'ads.jsonl');
    writeFileSync(input, jsonl(rows));

    const [planted, ordinaryOnly] = await Promise.all([
      runBinary(['scan', input, '--rules', rules.planted, '--no-model', '--time-budget', TIGHT_BUDGET, '--jobs', '2']),
      runMain(['scan', input, '--rules', rules.ordinary, '--no-model', '--jobs', '0']),
    ]);
    expect(planted.code, planted.stderr).toBe(0);
    const all = records(planted.stdout);
    expect(all.map((r) => r.id)).toEqual(['o1', 'o2', 'slow', 'o3', 'o4']);
    const slow = all[2]!;
    expect(isError(slow)).toBe(true);
    const { code, message } = (slow as ErrorRecord).error;
    expect(code).toBe('SCORE_TIMEOUT');
    // Both runs stalled in the planted rule: the first on its thread, the second on the fresh one.
    expect(message).toMatch(
      new RegExp(`ran over its ${TIGHT_BUDGET} ms (CPU )?budget twice in rule ${SLOW_RULE}, the second time on a fresh thread; posting skipped`),
    );

    // The planted rule never matches ordinary text, so their verdicts are those of the ordinary rules.
    const ordinary = all.filter((r) => r.id !== 'slow');
    expect(ordinary.every((r) => !isError(r))).toBe(true);
    expect(ordinary).toEqual(records(ordinaryOnly.stdout).filter((r) => r.id !== 'slow'));
    expect(ordinary.filter((r) => (r as Verdict).flagged).map((r) => r.id)).toEqual(['o1', 'o3']);

    expect(summaryCounts(planted.stderr)).toEqual({ read: 5, scored: 4, errors: 1 });
    // One posting that ran over twice is not enough to switch the rule off.
    expect(planted.stderr).not.toContain('switched off');
  }, 120_000);

  it('switches a rule off after three postings ran over twice in it, and every later verdict says so', async () => {
    const rules = tempDir('lurescan-pool-rules-');
    writeFileSync(
      path.join(rules, 'r.yaml'),
      `${SLOW_YAML}  - id: FC-TEST-HUB
    title: a hub town
    label: forced-criminality
    category: destination
    points: 4
    any: [{keywords: [poipet]}]
`,
    );
    // One thread, and a first batch (64 postings) of ordinary postings scored before the rule is
    // switched off; in the second batch three postings stall in the rule, and the rest come after.
    const rows: Record<string, string>[] = [];
    for (let i = 1; i <= 64; i++) rows.push({ id: `early${i}`, title: 'Clerk', description: i % 2 ? 'Office work in Poipet' : 'Office work in Paris' });
    for (let i = 1; i <= 3; i++) rows.push({ id: `slow${i}`, title: 'Clerk', description: SLOW_TEXT });
    for (let i = 1; i <= 4; i++) rows.push({ id: `late${i}`, title: 'Clerk', description: i % 2 ? 'Office work in Poipet' : 'Office work in Paris' });
    const input = path.join(tempDir('lurescan-pool-'), 'ads.jsonl');
    writeFileSync(input, jsonl(rows));

    const { code, stdout, stderr } = await runBinary([
      'scan',
      input,
      '--rules',
      rules,
      '--no-model',
      '--time-budget',
      TIGHT_BUDGET,
      '--jobs',
      '1',
      '--format',
      'json',
    ]);
    expect(code, stderr).toBe(0);
    const doc = JSON.parse(stdout) as {
      verdicts: OutputRecord[];
      summary: { read: number; scored: number; errors: number; disabledRules: string[]; withoutDisabledRules: number };
    };
    const byId = new Map(doc.verdicts.map((r) => [r.id, r]));
    for (let i = 1; i <= 3; i++) expect((byId.get(`slow${i}`) as ErrorRecord).error.code).toBe('SCORE_TIMEOUT');

    const warning = { code: 'RULE_DISABLED', message: `rule ${SLOW_RULE} was switched off after 3 timeouts; this posting was scored without it` };
    const late = doc.verdicts.filter((r) => r.id.startsWith('late')) as Verdict[];
    expect(late).toHaveLength(4);
    for (const verdict of late) expect(verdict.warnings).toEqual([warning]);
    // Scored before the switch-off, with the rule on: no warning.
    const early = doc.verdicts.filter((r) => r.id.startsWith('early')) as Verdict[];
    expect(early).toHaveLength(64);
    for (const verdict of early) expect(verdict.warnings).toBeUndefined();
    // The rules still on score as before.
    expect(late[0]!.hits.map((h) => h.rule)).toEqual(['FC-TEST-HUB']);

    expect(doc.summary.disabledRules).toEqual([SLOW_RULE]);
    expect(doc.summary.withoutDisabledRules).toBe(4);
    expect(doc.summary).toMatchObject({ read: 71, scored: 68, errors: 3 });
    expect(stderr).toContain(`rule ${SLOW_RULE} switched off for the rest of this run after 3 timeouts`);
    expect(stderr).toMatch(new RegExp(`rules switched off after timeouts: ${SLOW_RULE}; 4 verdict\\(s\\) scored without them`));
  }, 120_000);
});

describe('binary: ordinary postings never time out', () => {
  // That start-up does not count is the first test above (a 200 ms budget with the shipped model).
  it('gives the same verdicts with two cores kept busy as without', async () => {
    // The two ordinary rules, without the model, to keep it quick: the spinners burn two cores for as
    // long as the scan takes, and what they load is start-up, which the clock leaves out anyway. The
    // budget as tight as above: a clock that counted waiting would see postings wait for a core.
    // Without: the calling thread's verdicts, in-process (the first test shows the threads give the same).
    const args = ['scan', path.join(fixtures, 'fc-en.csv'), '--rules', ruleFolders().ordinary, '--no-model'];
    const quiet = await runMain([...args, '--jobs', '0']);
    // Two threads of this process spin for the whole of the second scan.
    const spinners = [0, 1].map(() => new Worker('for (;;) {}', { eval: true }));
    let busy;
    try {
      busy = await runBinary([...args, '--jobs', '2', '--time-budget', '200']);
    } finally {
      await Promise.all(spinners.map((worker) => worker.terminate()));
    }
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(busy.code, busy.stderr).toBe(0);
    const verdicts = records(busy.stdout);
    expect(verdicts.filter(isError)).toEqual([]);
    expect(verdicts.length).toBeGreaterThan(50);
    expect(busy.stdout).toBe(quiet.stdout);
    expect(verdicts.some((r) => (r as Verdict).flagged)).toBe(true);
  }, 120_000);
});

describe.skipIf(process.platform !== 'linux')("the budget's clock", () => {
  it("counts a thread's work, not the time it waits", async () => {
    // A thread that reports its id, spins briefly, then sleeps: sleeping costs it no CPU time.
    const clockModule = pathToFileURL(path.join(root, 'dist/run/clock.js')).href;
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(clockModule)}).then(({ currentThreadId }) => {
        parentPort.once('message', () => {
          const until = Date.now() + 50;
          while (Date.now() < until) {}
          parentPort.postMessage('spun');
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
          // Stay alive until terminated: a thread that has exited has no clock left to read.
          parentPort.once('message', () => {});
          parentPort.postMessage('slept');
        });
        parentPort.postMessage(currentThreadId());
      });`,
      { eval: true },
    );
    const messages: unknown[] = [];
    const next = (): Promise<unknown> => new Promise((resolve) => worker.once('message', resolve));
    try {
      const tid = await next();
      expect(typeof tid).toBe('number');
      const clock = threadClock(tid as number);
      expect(clock.kind).toBe('cpu');
      const before = clock.now();
      worker.postMessage('go');
      messages.push(await next());
      const spun = clock.now();
      messages.push(await next());
      const slept = clock.now();
      expect(messages).toEqual(['spun', 'slept']);
      expect(spun).toBeGreaterThan(before);
      // 200 ms asleep (a wall clock reads 200 or more), a small fraction of it on the CPU (posting a
      // message, going to sleep).
      expect(slept - spun).toBeLessThan(100);
    } finally {
      await worker.terminate();
    }
  });
});

describe('default pool size', () => {
  it('is a thread per core, as many as fit in half the memory', () => {
    const GB = 1024 ** 3;
    expect(defaultJobs(16, 16 * GB)).toBe(16);
    expect(defaultJobs(16, 2 * GB)).toBe(Math.floor(GB / THREAD_MEMORY_BYTES));
    expect(defaultJobs(2, 64 * GB)).toBe(2);
    expect(defaultJobs(8, 100 * 1024 * 1024)).toBe(1);
  });
});

describe("the entry starts a scan's first thread before it loads the CLI", () => {
  it('only for a scan that scores on threads, judged from the command line', () => {
    expect(scansOnThreads(['scan', 'ads.csv'])).toBe(true);
    expect(scansOnThreads(['scan', 'ads.csv', '--jobs', '2'])).toBe(true);
    expect(scansOnThreads(['scan', 'ads.csv', '-j', '1'])).toBe(true);
    // --jobs 0 scores on the calling thread; help and other commands score nothing.
    expect(scansOnThreads(['scan', 'ads.csv', '--jobs', '0'])).toBe(false);
    expect(scansOnThreads(['scan', '-j', '0', 'ads.csv'])).toBe(false);
    expect(scansOnThreads(['scan', 'ads.csv', '--jobs=0'])).toBe(false);
    expect(scansOnThreads(['scan', '--help'])).toBe(false);
    expect(scansOnThreads(['rules', 'test', 'rules'])).toBe(false);
    expect(scansOnThreads(['--help'])).toBe(false);
    expect(scansOnThreads([])).toBe(false);
    // After `--`, words are inputs, not options.
    expect(scansOnThreads(['scan', '--', '--jobs', '0'])).toBe(true);
  });
});
