// `lurescan rules diff`: a corpus scored with two rule sets, a folder's or a git ref's against the
// working tree's (toolkit/diff.ts), and what changed written as text, Markdown or JSON; exit 1 on
// what --fail-on names.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { relativeToCwd } from '../display-path.js';
import { readRuleFiles } from '../input/rule-files.js';
import { DEFAULT_RULES_DIR, PACKAGE_ROOT } from '../paths.js';
import { assembleRuleFiles, refuseErrors } from '../run/rules.js';
import { LurescanError } from '../types.js';
import { openPools, readCorpus } from '../toolkit/corpus.js';
import { diffRuleSets, failureReasons } from '../toolkit/diff.js';
import { diffMarkdown, diffText } from '../toolkit/diff-render.js';
import { readRulesAtRef } from '../toolkit/git.js';
import { parseCorpusFlags, parseScoringFlags, reportColor } from './flags.js';
import type { DiffOptions } from './commands/rules.js';
import { EXIT_FINDINGS, EXIT_OK, writeReport, type CliIO } from './io.js';

function defaultCorpus(cwd: string): string {
  const local = path.resolve(cwd, 'fixtures', 'postings');
  return existsSync(local) ? local : path.join(PACKAGE_ROOT, 'fixtures', 'postings');
}

export async function runDiff(corpus: string[], options: DiffOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'text';
  const failOn = options.failOn;
  if (failOn !== undefined && failOn !== 'regression' && failOn !== 'change')
    throw new LurescanError('USAGE', `--fail-on must be regression or change (got \`${failOn}\`)`);
  const tolerance = options.tolerance === undefined ? 0.01 : Number(options.tolerance);
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > 1)
    throw new LurescanError('USAGE', `--tolerance must be a number from 0 to 1 (got \`${options.tolerance}\`)`);
  const headDir = options.rules ?? DEFAULT_RULES_DIR;
  const head = refuseErrors(await assembleRuleFiles(await readRuleFiles(headDir)), 'head');
  const baseIsPath = await stat(options.base).then(
    () => true,
    () => false,
  );
  const baseFiles = baseIsPath ? await readRuleFiles(options.base) : await readRulesAtRef(options.base, headDir);
  const base = refuseErrors(await assembleRuleFiles(baseFiles), `base (${options.base})`);
  const inputs = corpus.length > 0 ? corpus : [defaultCorpus(io.cwd)];
  for (const input of inputs) if (!existsSync(input)) throw new LurescanError('INPUT_NOT_FOUND', `input ${input} does not exist`);
  const [basePool, headPool] = openPools([base, head], parseScoringFlags(options, io));
  let report;
  try {
    report = await diffRuleSets(
      { name: options.base, ruleset: base, pool: basePool! },
      { name: options.rules ? relativeToCwd(options.rules, io.cwd) : 'rules/ (working tree)', ruleset: head, pool: headPool! },
      { inputs: inputs.map((input) => relativeToCwd(input, io.cwd)), postings: readCorpus(inputs, parseCorpusFlags(options)) },
    );
  } finally {
    await Promise.all([basePool!.close(), headPool!.close()]);
  }
  const failures = failOn ? failureReasons(report, failOn as 'regression' | 'change', tolerance) : [];
  let text: string;
  if (format === 'json') text = `${JSON.stringify({ ...report, failures }, null, 2)}\n`;
  else if (format === 'markdown') text = diffMarkdown(report, failures);
  else text = diffText(report, reportColor(options, io), failures);
  await writeReport(text, options.out, io);
  return failures.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
