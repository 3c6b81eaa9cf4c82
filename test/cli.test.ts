// The CLI on fixtures and generated bad input: in-process through main() (runMain), and in a
// `binary:` block what only a process shows (exit codes as the shell sees them, stdin through a
// pipe, start-up) through the built binary (runBinary). The scoring threads' time budget (a
// pathological rule skipped, then switched off) is test/process/pool.test.ts's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ErrorRecord, Verdict } from '../src/types.js';
import { runBinary, runMain, tempDir, writeInput, type CliRun, type RunOptions, jsonLines } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const fixtures = path.join(root, 'fixtures/postings');

type Run = CliRun;
const run = (args: string[], options: RunOptions = {}): Promise<Run> => runMain(args, options);

const records = (stdout: string) => jsonLines<Verdict | ErrorRecord>(stdout);
const verdicts = (stdout: string) => records(stdout).filter((r): r is Verdict => !('error' in r));
const errorsOf = (stdout: string) => records(stdout).filter((r): r is ErrorRecord => 'error' in r);

/** The "read N = scored N + errors N" line of the summary. */
function summaryCounts(stderr: string): { read: number; scored: number; errors: number; flagged: number } {
  const m = /read (\d+) = scored (\d+) \+ errors (\d+); flagged (\d+)/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return { read: Number(m![1]), scored: Number(m![2]), errors: Number(m![3]), flagged: Number(m![4]) };
}

// Scored on the calling thread (--jobs 0: no time budget), so a busy machine cannot turn a posting
// into SCORE_TIMEOUT; test/process/pool.test.ts checks that the threads give the same verdicts. The one scan
// of every fixture here: the tests below and --only-flagged's read it.
const result = await run(['scan', fixtures, '--include-text', '--jobs', '0']);

describe('lurescan scan on the shipped fixtures', () => {
  it('writes one JSONL record per posting and a summary that adds up', () => {
    expect(result.code).toBe(0);
    const all = records(result.stdout);
    const counts = summaryCounts(result.stderr);
    expect(all.length).toBe(counts.read);
    expect(counts.read).toBe(counts.scored + counts.errors);
    expect(counts.read).toBeGreaterThanOrEqual(300);
    expect(errorsOf(result.stdout)).toEqual([]);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
  });

  it('gives hit offsets that point into the original field text', () => {
    let checked = 0;
    for (const verdict of verdicts(result.stdout)) {
      for (const hit of verdict.hits) {
        if (hit.field === undefined) continue;
        const text = verdict.text![hit.field]!;
        const original = text.slice(hit.start, hit.end);
        expect(hit.match!.replace(/…$/, '')).toBe(original.slice(0, 200));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('finds most lures and few false positives among legitimate look-alikes', () => {
    const all = verdicts(result.stdout);
    const byLabel = (label: string) => all.filter((v) => expectedLabel(v) === label);
    const fc = byLabel('forced-criminality');
    const ef = byLabel('employment-fraud');
    const legit = byLabel('legit');
    expect(fc.length).toBeGreaterThan(100);
    expect(legit.length).toBeGreaterThan(100);
    const recall = (set: Verdict[], label: string) => set.filter((v) => v.labels.includes(label as never)).length / set.length;
    expect(recall(fc, 'forced-criminality')).toBeGreaterThanOrEqual(0.85);
    expect(ef.filter((v) => v.flagged).length / ef.length).toBeGreaterThanOrEqual(0.85);
    expect(legit.filter((v) => v.flagged).length / legit.length).toBeLessThanOrEqual(0.06);
  });

  it('flags the obfuscated lures through their disguise', () => {
    const obfuscated = verdicts(result.stdout).filter((v) => /fc-[a-z]+-obf-/.test(v.id));
    expect(obfuscated.length).toBeGreaterThanOrEqual(4);
    for (const verdict of obfuscated) expect(verdict.labels, verdict.id).toContain('forced-criminality');
  });
});

/** The answer key of a fixture: its id prefix, or its file name for pages and text files. */
function expectedLabel(verdict: Verdict): string {
  const key = `${verdict.id} ${path.basename(verdict.source.file ?? '')}`;
  if (/(^|[ /])(fc-|forced-criminality-)/.test(key)) return 'forced-criminality';
  if (/(^|[ /])(ef-|employment-fraud-)/.test(key)) return 'employment-fraud';
  return 'legit';
}

describe('output formats and options', () => {
  const csv = path.join(fixtures, 'fc-en.csv');

  it('writes CSV with one row per posting', async () => {
    const { code, stdout, stderr } = await run(['scan', '--jobs', '0', csv, '--format', 'csv']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'id,file,row,line,url,flagged,labels,score_forced_criminality,score_employment_fraud,top_rules,title,company,location,error_code,error_message,contacts',
    );
    // The run's own summary on stderr (the CSV on stdout): every posting read is a row.
    expect(lines.length - 1).toBe(summaryCounts(stderr).read);
    expect(summaryCounts(stderr).read).toBeGreaterThan(60);
  });

  it('writes one JSON document with the summary', async () => {
    const { code, stdout } = await run(['scan', '--jobs', '0', csv, '--format', 'json']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as { verdicts: Verdict[]; summary: { read: number; scored: number; errors: number; ruleset: { fingerprint: string } } };
    expect(doc.verdicts.length).toBe(doc.summary.read);
    expect(doc.summary.read).toBe(doc.summary.scored + doc.summary.errors);
    expect(doc.summary.ruleset.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes a table with evidence, in colour only when asked', async () => {
    // A lure and a legitimate posting: the claim is the table writer's and its colour switches, four
    // scans of which need a flagged posting with evidence, not a whole fixture file each.
    const two = writeInput(
      tempDir('lurescan-table-'),
      'two.csv',
      'id,title,description\nad1,Customer service - Sihanoukville,"Free flight and visa, no experience needed. Contact us on Telegram @hr_kh. USD 2,000 a month."\nad2,Registered nurse,Our hospital in Manila hires registered nurses. Apply through our careers site.\n',
    );
    const plain = await run(['scan', '--jobs', '0', two, '--format', 'table']);
    expect(plain.stdout).toContain('● FLAGGED forced-criminality  ad1');
    expect(plain.stdout).toContain('FC-DEST-HUB-KH (destination) title: Customer service - »Sihanoukville«');
    expect(plain.stdout).toMatch(/^○ ok +ad2/m);
    expect(plain.stdout).not.toMatch(/\x1b\[/);
    const coloured = await run(['scan', '--jobs', '0', two, '--format', 'table'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toMatch(/\x1b\[[0-9;]*m● FLAGGED/);
    const vetoed = await run(['scan', '--jobs', '0', two, '--format', 'table', '--no-color'], { env: { FORCE_COLOR: '1' } });
    expect(vetoed.stdout).not.toMatch(/\x1b\[/);
    const noColorEnv = await run(['scan', '--jobs', '0', two, '--format', 'table'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColorEnv.stdout).not.toMatch(/\x1b\[/);
  });

  it('writes each format as its golden file in test/cases/scan-formats (update with vitest -u)', async () => {
    // Our own two rules and no model, so only a change in the writers moves these files.
    const cases = 'test/cases/scan-formats';
    const args = ['scan', '--jobs', '0', `${cases}/postings.csv`, '--rules', `${cases}/rules`, '--no-model', '--no-summary'];
    for (const [format, file] of [
      ['jsonl', 'out.jsonl'],
      ['csv', 'out.csv'],
      ['table', 'out.table.txt'],
      ['json', 'out.json'],
    ] as const) {
      const { code, stdout, stderr } = await run([...args, '--format', format]);
      expect(code, stderr).toBe(0);
      // The run's time and lurescan's version are the only parts that change from run to run or release to release.
      const stable = stdout.replace(/"elapsedMs":\d+/, '"elapsedMs":"<ms>"').replace(/"version":"[^"]+"/, '"version":"<version>"');
      await expect(stable).toMatchFileSnapshot(`./cases/scan-formats/${file}`);
    }
  });

  it('keeps only flagged verdicts with --only-flagged and writes --out atomically', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.jsonl');
    // Lures and legitimate look-alikes: the flagged ones of the scan of every fixture above, and only them.
    const inputs = [csv, path.join(fixtures, 'legit-en.csv')];
    const { code, stdout } = await run(['scan', '--jobs', '0', ...inputs, '--only-flagged', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const written = verdicts(readFileSync(out, 'utf8'));
    const flagged = verdicts(result.stdout).filter((v) => v.flagged && inputs.includes(path.resolve(v.source.file!)));
    expect(flagged.length).toBeGreaterThan(50);
    expect(written.map((v) => v.id)).toEqual(flagged.map((v) => v.id));
    expect(written.every((v) => v.flagged)).toBe(true);
  });

  it('reads stdin and honours --map', async () => {
    const { code, stdout } = await run(['scan', '--jobs', '0', '-', '--map', 'title=headline,description=body,id=ref'], {
      input: 'ref,headline,body\nX-1,Typist,"Typing job in Sihanoukville, free flight and visa, contact on Telegram"\n',
    });
    expect(code).toBe(0);
    const [verdict] = verdicts(stdout);
    expect(verdict).toMatchObject({ id: 'X-1', posting: { title: 'Typist' } });
    expect(verdict!.hits.some((h) => h.field === 'description')).toBe(true);
  });
});

/** The description of fc-en.csv's first posting (fc-en-hub-001): a scam compound's lure. */
const LURE =
  'Location: Sihanoukville, Cambodia. FREE plane ticket, FREE visa, FREE food and accommodation. No experience needed. ' +
  'Just travel as a tourist, the company will process your working visa when you arrive. Message HR Linda on Telegram @hr_linda_kh.';

describe('binary: exit codes and stdin as the shell sees them', () => {
  // What main() returns is checked in-process everywhere else; these check that the process exits
  // with it, reads a pipe on stdin, and starts up for --help.
  const csv = path.join(fixtures, 'fc-en.csv');

  it('exits 1 with --fail-on when a posting carries that label, 0 when none does', async () => {
    // What main() returns for a label in-process; that the process exits with it, once each way, on
    // one posting piped in: a lure (JSON Lines) and a nurse's job (CSV). The whole fixture file cost
    // the process a second of first-use work for nothing more.
    expect((await run(['scan', csv, '--jobs', '0', '--fail-on', 'forced-criminality'])).code).toBe(1);
    const lure = { id: 'lure', title: 'Customer Service (English) - Sihanoukville', description: LURE };
    const flagged = await runBinary(['scan', '-', '--no-model', '--jobs', '0', '--fail-on', 'any'], { input: `${JSON.stringify(lure)}\n` });
    expect(flagged.code, flagged.stderr).toBe(1);
    const legit = await runBinary(['scan', '-', '--no-model', '--jobs', '0', '--fail-on', 'any'], {
      input: 'title,description\nNurse,Hospital job in Manila with SSS and PhilHealth\n',
    });
    expect(legit.code, legit.stderr).toBe(0);
    expect(legit.stderr).toMatch(/read 1 = scored 1 \+ errors 0; flagged 0/);
  });

  it('exits 2 on a usage error, with a message and no stack', async () => {
    const { code, stderr } = await runBinary(['scan', 'no/such/file.csv']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/input no\/such\/file\.csv does not exist/);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('exits 2 on an error thrown outside main(), with a message and no stack', async () => {
    // A module loaded before the binary throws from a timer once the binary listens for uncaught
    // errors (or after two seconds, when it never does): as a stream's error event would.
    const dir = tempDir('lurescan-crash-');
    const preload = writeInput(
      dir,
      'throw-later.mjs',
      'let ticks = 0;\nconst timer = setInterval(() => {\n  if (process.listenerCount("uncaughtException") === 0 && ++ticks < 400) return;\n  clearInterval(timer);\n  throw new Error("thrown outside main");\n}, 5);\n',
    );
    const { code, stderr } = await runBinary(['scan', csv, '--no-model', '--jobs', '0'], { env: { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/lurescan: internal error: thrown outside main/);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('starts up for --help and exits 0', async () => {
    const { code, stdout } = await runBinary(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: lurescan \[options\] \[command\]/);
    expect(stdout).toContain('scan [options] [inputs...]');
  });
});

describe('usage and configuration errors exit 2 with a message, never a stack', () => {
  it.each([
    [['scan', 'no/such/file.csv'], /input no\/such\/file\.csv does not exist/],
    [['scan', 'fixtures', '--format', 'xml'], /xml/],
    [['scan', 'fixtures', '--fail-on', 'spam'], /--fail-on must be a label/],
    [['scan', 'fixtures', '--map', 'colour=x'], /unknown field `colour`/],
    [['scan', 'fixtures', '--rules', 'no/rules'], /rules folder no\/rules does not exist/],
    [['scan'], /no inputs/],
    [['frobnicate'], /unknown command/],
  ])('%j', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('names file, line, rule and field of a broken rule', async () => {
    const dir = tempDir();
    writeInput(
      dir,
      'bad.yaml',
      'rules:\n  - id: FC-X-ONE\n    title: t\n    label: forced-criminality\n    category: destination\n    points: 2\n    any: [{regex: "a(b"}]\n',
    );
    const { code, stderr } = await run(['scan', 'fixtures', '--rules', dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.yaml:7: rule FC-X-ONE field `any`: error BAD_REGEX/);
  });
});

describe('bad input becomes error records; the scan goes on', () => {
  const dir = tempDir('lurescan-bad-');
  writeInput(dir, '01-malformed.csv', 'title,description\nok,fine\ntoo,many,fields\n"unclosed,quote\n');
  writeInput(dir, '02-invalid.jsonl', '{"title":"ok"}\n{not json}\n');
  writeInput(dir, '03-binary.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2]));
  writeInput(dir, '04-empty.jsonl', '');
  writeInput(dir, '05-deep.json', `[${'['.repeat(5000)}${']'.repeat(5000)}, {"title":"after deep"}]`);
  writeInput(dir, '06-utf8.csv', Buffer.concat([Buffer.from('title,description\nCSR,"Poipet '), Buffer.from([0xc3, 0x28]), Buffer.from(' free visa"\n')]));
  writeInput(dir, '07-nul.jsonl', '{"title":"a\\u0000b","description":"Telegram\\u0000 job"}\n');
  // 1.7 M characters, under the 2 MB --max-record the scan below sets: a record near the limit is read
  // whole and its hit offsets count from the start of the field. The limit is the same code at its
  // default of 16 MB (test/limits.test.ts); scoring 14 M characters here cost seconds and proved no more.
  writeInput(dir, '08-huge.csv', `title,description\nBig,"${'filler text '.repeat(144_000)} Sihanoukville"\n`);
  writeInput(dir, '09-unknown.xyz', 'what is this');

  it('reports each with file, row or line and a code, and scans what it can', async () => {
    const { code, stdout, stderr } = await run(['scan', '--jobs', '0', '--max-record', '2MB', dir]);
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    const all = records(stdout);
    const counts = summaryCounts(stderr);
    expect(all.length).toBe(counts.read);
    expect(counts.read).toBe(counts.scored + counts.errors);
    const codes = errorsOf(stdout).map((r) => `${path.basename(r.source.file!)}:${r.error.code}`);
    expect(codes).toEqual([
      '01-malformed.csv:CSV_FIELD_COUNT',
      '01-malformed.csv:CSV_QUOTES',
      '02-invalid.jsonl:JSON_SYNTAX',
      '03-binary.csv:BINARY_FILE',
      '04-empty.jsonl:EMPTY_FILE',
      '05-deep.json:JSON_TOO_DEEP',
      '09-unknown.xyz:UNSUPPORTED_FORMAT',
    ]);
    const errs = errorsOf(stdout);
    expect(errs[0]).toMatchObject({ source: { row: 3 } });
    expect(errs[2]).toMatchObject({ source: { line: 2 } });
    const scored = verdicts(stdout);
    expect(scored.find((v) => v.posting.title === 'after deep')).toBeDefined();
    expect(scored.find((v) => v.posting.title === 'CSR')!.warnings![0]!.code).toBe('INVALID_UTF8');
    expect(scored.find((v) => v.posting.title === 'a\u0000b')!.warnings!.map((w) => w.code)).toContain('NUL_BYTES');
    const huge = scored.find((v) => v.posting.title === 'Big')!;
    expect(huge.hits.find((h) => h.match === 'Sihanoukville')!.start).toBe(1_728_001);
  });

  it('exits 2 when nothing at all could be read', async () => {
    const only = tempDir();
    writeInput(only, 'x.csv', Buffer.alloc(100, 0));
    const { code, stdout } = await run(['scan', '--jobs', '0', only]);
    expect(code).toBe(2);
    expect(errorsOf(stdout)[0]!.error.code).toBe('BINARY_FILE');
  });
});
