// The `rules` commands' registrations: options and help. Each command (../rules-lint.ts with its
// ReDoS checker, rules-test.ts, rules-diff.ts, rules-stats.ts) and the toolkit under it load only
// when it runs.
import { DEFAULT_BUDGET_MS } from '../../run/budget.js';
import { Option, type Command } from 'commander';
import type { CorpusFlags, ReportFlags, ScoringFlags } from '../flags.js';
import type { CliIO } from '../io.js';
import type { SetCode } from './index.js';
import { colorOptions } from '../options.js';

export interface DiffOptions extends ReportFlags, ScoringFlags, CorpusFlags {
  base: string;
  rules?: string;
  failOn?: string;
  tolerance?: string;
}
export interface LintCommandOptions extends ReportFlags {
  strict?: boolean;
  cache?: boolean;
  redosTimeout?: string;
}
export interface StatsOptions extends ReportFlags, ScoringFlags, CorpusFlags {
  rules?: string;
}
export interface TestOptions extends ReportFlags, ScoringFlags {
  cases?: string | boolean;
}

function corpusFlags(command: Command): Command {
  return command
    .option('--label <column>', 'the answer-key column (default: a column named label, fraudulent, is_scam, ...)')
    .option('--label-map <value=label,...>', 'what label values mean, e.g. 2=employment-fraud,0.5=legit, as for train and eval')
    .option('--map <field=column,...>', 'column mapping, as for scan');
}

const scoringFlags = (command: Command): Command =>
  command
    .option('-j, --jobs <n>', 'scoring threads (0: the main thread, without a time budget)')
    .option('--time-budget <ms>', 'time budget per posting; a posting over it is reported, not compared', String(DEFAULT_BUDGET_MS));

export function rulesCommands(program: Command, io: CliIO, setCode: SetCode): void {
  const rules = program.command('rules').description('rule toolkit for authors and CI: lint, test, diff, stats');

  rules
    .command('lint')
    .description('validate rule files: schema, ids, metadata, regexes (empty, everything, never-matching, ReDoS); exit 1 on errors')
    .argument('[dirs...]', 'rules folders or files, each linted as one rule set (default: the shipped rules/)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif', 'junit']).default('text'))
    .option('-o, --out <file>', 'write the report to a file')
    .option('--strict', 'exit 1 on warnings too')
    .option('--redos-timeout <ms>', 'time the ReDoS checker may spend on one part of a regex (a part that times out is checked again alone with 4x)', '3000')
    .option('--no-cache', 'check every regex for ReDoS again instead of reusing cached or shipped verdicts (rules/redos-verdicts.json)')
    .action((dirs: string[], options: LintCommandOptions) => setCode(import('../rules-lint.js').then((m) => m.runLint(dirs, options, io))));

  scoringFlags(
    rules
      .command('test')
      .description("run every rule's match/nomatch examples and the fixture cases (ok.* / ng.* folders); exit 1 on a failure")
      .argument('[dirs...]', 'rules folders or files (default: the shipped rules/, with fixtures/cases)')
      .option('--cases <dir>', 'folder of ok.* / ng.* case folders (default: fixtures/cases for the shipped rules)')
      .option('--no-cases', "run the rules' own examples only")
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif', 'junit']).default('text'))
      .option('-o, --out <file>', 'write the report to a file'),
  ).action((dirs: string[], options: TestOptions) => setCode(import('../rules-test.js').then((m) => m.runTest(dirs, options, io))));

  scoringFlags(
    rules
      .command('diff')
      .description('scan a corpus with two rule sets and report what changed (rules only; the model is held out)')
      .argument('[corpus...]', 'postings to scan (default: fixtures/postings)')
      .requiredOption('--base <ref|dir>', 'the rule set to compare against: a folder, or a git ref whose rules folder is read with git show')
      .option('--rules <dir>', 'the changed rule set (default: the shipped rules/)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
      .option('-o, --out <file>', 'write the report to a file')
      .option('--fail-on <what>', 'exit 1 on `regression` (precision or recall drops by more than --tolerance) or on any `change`')
      .option('--tolerance <fraction>', 'allowed drop in precision or recall for --fail-on regression, e.g. 0.02', '0.01'),
  ).action((corpus: string[], options: DiffOptions) => setCode(import('../rules-diff.js').then((m) => m.runDiff(corpus, options, io))));

  scoringFlags(
    rules
      .command('stats')
      .description('per rule: hits per label, precision, overlap with other rules, rules that never fire')
      .argument('<labelled...>', 'labelled postings (a label or fraudulent column)')
      .option('--rules <dir>', 'rules folder (default: the shipped rules/)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
      .option('-o, --out <file>', 'write the report to a file'),
  ).action((inputs: string[], options: StatsOptions) => setCode(import('../rules-stats.js').then((m) => m.runStats(inputs, options, io))));

  for (const command of rules.commands) colorOptions(command);
  for (const command of rules.commands.filter((c) => c.name() === 'diff' || c.name() === 'stats')) corpusFlags(command);
}
