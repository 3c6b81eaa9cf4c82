// What users of gitleaks, semgrep, secretlint and ripgrep expect of a scanner's command line:
// a settings file, --color, -q / -v, --fail-on error with the reason for exit 1, and a summary
// whose model is data, not prose.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig, loadConfig } from '../src/cli/config.js';
import { Chalk } from 'chalk';
import { tableWriter } from '../src/report/writers.js';
import { assembleRuleSet } from '../src/rules/ruleset.js';
import type { Verdict } from '../src/types.js';
import { runMain as run, tempDir, writeInput } from './helpers.js';

const dir = tempDir('lurescan-conventions-');
// A lure (forced criminality, rules alone) and a legitimate posting: what the settings, exit codes,
// colours and the summary's model below are about needs a flagged posting and one not flagged, not
// the 67 of fixtures/postings/fc-en.csv scanned ten times.
const lures = writeInput(
  dir,
  'lures.csv',
  'id,title,description\nad1,Customer service - Sihanoukville,"Free flight and visa, no experience needed. Contact us on Telegram @hr_kh. USD 2,000 a month."\nad2,Registered nurse,Our hospital in Manila hires registered nurses. Apply through our careers site.\n',
);
const bad = writeInput(dir, 'bad.csv', 'title,description\nTypist,"Typing job, free visa",extra\nNurse,Hospital job in Manila\n');

describe('settings file', () => {
  it('is found in the working folder or above, but not past a git root', () => {
    const top = tempDir('lurescan-config-');
    mkdirSync(path.join(top, 'repo/.git'), { recursive: true });
    mkdirSync(path.join(top, 'repo/a/b'), { recursive: true });
    writeFileSync(path.join(top, '.lurescan.yaml'), 'model: false\n');
    expect(findConfig(path.join(top, 'repo/a/b'))).toBeUndefined();
    writeFileSync(path.join(top, 'repo/package.json'), JSON.stringify({ name: 'x', lurescan: { 'fail-on': 'any' } }));
    expect(findConfig(path.join(top, 'repo/a/b'))).toBe(path.join(top, 'repo/package.json'));
    writeFileSync(path.join(top, 'repo/a/.lurescan.yml'), 'jobs: 0\n');
    expect(findConfig(path.join(top, 'repo/a/b'))).toBe(path.join(top, 'repo/a/.lurescan.yml'));
  });

  it('reads paths relative to itself and refuses unknown settings and bad values, naming them', async () => {
    const file = writeInput(
      dir,
      'settings.yaml',
      'rules: ../rules\nmodel: false\nmap: {title: headline}\nfail-on: [forced-criminality, error]\nbase-rates: {employment-fraud: 0.1}\nthresholds: {forced-criminality: 9}\n',
    );
    const { values } = await loadConfig(file, dir);
    expect(values).toEqual({
      rules: path.resolve(dir, '../rules'),
      model: false,
      map: 'title=headline',
      failOn: 'forced-criminality,error',
      baseRate: ['employment-fraud=0.1'],
      thresholds: { 'forced-criminality': 9 },
    });
    await expect(loadConfig(writeInput(dir, 'typo.yaml', 'modle: x\n'), dir)).rejects.toThrow(/`modle` is not a setting \(settings: rules, model/);
    await expect(loadConfig(writeInput(dir, 'label.yaml', 'thresholds: {scam: 3}\n'), dir)).rejects.toThrow(/`thresholds.scam` is not a label/);
  });

  it('sets scan defaults that flags override, and the summary names it', async () => {
    const settings = writeInput(dir, 'strict.yaml', 'model: false\nfail-on: forced-criminality\nthresholds: {forced-criminality: 1000}\n');
    const quiet = await run(['scan', lures, '--config', settings, '-j', '0', '--format', 'jsonl']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toContain('flagged 0 (');
    expect(quiet.stderr).toContain('settings: ');
    expect(quiet.stderr).toContain('model: none (--no-model: rules only)');
    const flagged = await run([
      'scan',
      lures,
      '--config',
      writeInput(dir, 'plain.yaml', 'model: false\nfail-on: forced-criminality\n'),
      '-j',
      '0',
      '--format',
      'jsonl',
    ]);
    expect(flagged.code).toBe(1);
    const overridden = await run([
      'scan',
      lures,
      '--config',
      writeInput(dir, 'plain2.yaml', 'model: false\nfail-on: forced-criminality\n'),
      '--fail-on',
      'employment-fraud',
      '-j',
      '0',
      '--format',
      'jsonl',
    ]);
    expect(overridden.code).toBe(0);
  });
});

describe('exit codes and stderr', () => {
  it('--fail-on error fails on error records and says why the exit code is 1', async () => {
    const result = await run(['scan', bad, '--fail-on', 'error', '--no-model', '-j', '0', '--format', 'jsonl']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('lurescan: exit 1: 1 error record(s) (--fail-on error)');
    expect((await run(['scan', bad, '--fail-on', 'forced-criminality', '--no-model', '-j', '0', '--format', 'jsonl'])).code).toBe(0);
    const flagged = await run(['scan', lures, '--fail-on', 'any', '--no-model', '-j', '0', '--format', 'jsonl', '--no-summary']);
    expect(flagged.stderr).toMatch(/exit 1: \d+ posting\(s\) flagged forced-criminality \(--fail-on any\)/);
  });

  it('-q leaves stderr empty but for fatal errors; -v tells each error record as it comes', async () => {
    const quiet = await run(['scan', bad, '--fail-on', 'error', '--no-model', '-j', '0', '--format', 'jsonl', '-q']);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toBe('');
    const verbose = await run(['scan', bad, '--no-model', '-j', '0', '--format', 'jsonl', '-v']);
    expect(verbose.stderr).toContain(`lurescan: error: ${bad} row 2: CSV_FIELD_COUNT: row 2 has 3 fields`);
  });

  it('--color always colours a table that is not on a terminal; never and --no-color do not', async () => {
    const always = await run(['scan', lures, '--no-model', '-j', '0', '--format', 'table', '--color', 'always', '--no-summary']);
    expect(always.stdout).toContain('\u001b[');
    for (const flags of [['--color', 'never'], ['--no-color'], []]) {
      expect((await run(['scan', lures, '--no-model', '-j', '0', '--format', 'table', '--no-summary', ...flags])).stdout).not.toContain('\u001b[');
    }
    const broken = writeInput(dir, 'broken.yaml', 'rules:\n  - id: X-BROKEN\n');
    expect((await run(['rules', 'lint', broken, '--color', 'always', '--no-cache'])).stdout).toContain('\u001b[');
    expect((await run(['rules', 'lint', broken, '--no-cache'])).stdout).not.toContain('\u001b[');
  });

  it("writes the summary's model as data in --format json", async () => {
    const result = await run(['scan', lures, '-j', '0', '--format', 'json', '--no-summary']);
    const model = (JSON.parse(result.stdout) as { summary: { model: Record<string, unknown> } }).summary.model;
    expect(model).toMatchObject({ used: true, file: 'models/default.json' });
    expect(Object.keys(model.documents as object).sort()).toEqual(['employment-fraud', 'forced-criminality', 'legit']);
    expect(model.fingerprint).toMatch(/^[0-9a-f]{16,}$/);
    const none = await run(['scan', lures, '-j', '0', '--format', 'json', '--no-summary', '--no-model']);
    expect((JSON.parse(none.stdout) as { summary: { model: unknown } }).summary.model).toEqual({ used: false, reason: '--no-model: rules only' });
  });
});

describe('table', () => {
  it('marks the evidence without colour, adds the score up, and names warnings and a negative rule that held a posting under', async () => {
    const file = writeInput(
      dir,
      'table.csv',
      [
        'foo,bar',
        'A1,"Customer service job in Sihanoukville, Cambodia. Free flight and visa, no experience needed, salary $1500, contact Telegram @hr_job88"',
      ].join('\n'),
    );
    const { stdout } = await run(['scan', file, '--no-model', '-j', '0', '--format', 'table', '--no-summary']);
    expect(stdout).not.toContain('\u001b[');
    expect(stdout).toMatch(/» ?Sihanoukville ?«|»[^«]*Sihanoukville[^«]*«/);
    expect(stdout).toMatch(/scores: forced-criminality [\d.]+ = hits [\d.]+ .*\(flags at 8\)/);
    expect(stdout).toContain('warnings: NO_TEXT_COLUMN');
    // A posting a single negative rule holds under a threshold (by itself: which postings shipped points hold under changes with every rescore).
    const hit = { label: 'forced-criminality' as const, field: 'description', start: 0, end: 4, match: 'text' };
    const held: Verdict = {
      id: 'held-1',
      source: { file: 'x.csv', row: 2 },
      posting: { title: 'Advisory' },
      lang: 'en',
      flagged: false,
      labels: [],
      scores: { 'forced-criminality': 3, 'employment-fraud': 0 },
      hits: [
        { ...hit, rule: 'FC-DEST-HUB-KH', category: 'destination', points: 9 },
        { ...hit, rule: 'NEG-FC-ADVISORY', category: 'legitimacy', points: -6 },
      ],
    };
    const line = tableWriter(new Chalk({ level: 0 }), { 'forced-criminality': 8, 'employment-fraud': 6 }).record(held);
    expect(line).toMatch(/^○ ok {6}held-1 {2}Advisory {2}\[.*\] {2}held under by NEG-FC-ADVISORY -6\n$/);
    expect(
      tableWriter(new Chalk({ level: 0 }), { 'forced-criminality': 8, 'employment-fraud': 6 }).record({
        ...held,
        scores: { 'forced-criminality': -9, 'employment-fraud': 0 },
      }),
    ).not.toContain('held under');
  });
});

describe('workflows', () => {
  it('eval warns when the model learned from the very postings it is given, whatever the file is called', async () => {
    const rows = ['id,title,description,label'];
    for (let i = 0; i < 30; i++)
      rows.push(
        `f${i},Typist,"Typing job ${i} in Sihanoukville, free flight, contact Telegram",forced-criminality`,
        `l${i},Nurse,"Hospital ${i} in Manila, apply in person",legit`,
      );
    const train = writeInput(dir, 'train.csv', `${rows.join('\n')}\n`);
    const copy = writeInput(dir, 'renamed.csv', `${rows.join('\n')}\n`);
    const model = path.join(dir, 'm.json');
    expect((await run(['train', train, '-o', model])).code).toBe(0);
    const result = await run(['eval', copy, '--model', model, '--format', 'json']);
    expect(result.stderr).toContain(`the model learned from ${copy}`);
    expect(result.stderr).toContain('measure on held-out postings, or use --folds');
    const other = writeInput(dir, 'other.csv', `${rows.slice(0, 20).join('\n')}\n`);
    expect((await run(['eval', other, '--model', model, '--format', 'json'])).stderr).not.toContain('the model learned from');
  });

  it('prints completion scripts for bash, zsh and fish from the commands it has', async () => {
    const bash = await run(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -o default -o bashdefault -F _lurescan lurescan');
    expect(bash.stdout).toMatch(/"scan"\)[\s\S]*--max-record[\s\S]*"rules lint"\)/);
    expect(bash.stdout).toContain('compgen -W "jsonl csv json table parquet labelstudio"');
    expect((await run(['completion', 'zsh'])).stdout).toContain('bashcompinit');
    const fish = (await run(['completion', 'fish'])).stdout;
    expect(fish).toContain("complete -c lurescan -n '__fish_use_subcommand' -a scan");
    expect(fish).toMatch(/__fish_seen_subcommand_from stats' -l label-map/);
    expect((await run(['completion', 'tcsh'])).code).toBe(2);
  });
});

describe('rule set fingerprint', () => {
  it("depends on the files' places in the rule set, not on the folder the run started in", () => {
    const text =
      'rules:\n  - id: X-ONE\n    label: employment-fraud\n    category: advance-fee\n    points: 3\n    description: a fee\n    patterns: [{ regex: "fee" }]\n';
    const a = assembleRuleSet([{ file: 'rules/a.yaml', key: 'a.yaml', text }]);
    const b = assembleRuleSet([{ file: '../../work/rules/a.yaml', key: 'a.yaml', text }]);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(assembleRuleSet([{ file: 'rules/b.yaml', key: 'b.yaml', text }]).fingerprint).not.toBe(a.fingerprint);
  });
});
