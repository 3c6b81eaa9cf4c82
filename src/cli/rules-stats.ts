// `lurescan rules stats`: per rule, hits per label, precision, overlap with other rules and the
// rules that never fire on a labelled corpus (toolkit/stats.ts), as text, Markdown or JSON.
import { existsSync } from 'node:fs';
import { relativeToCwd } from '../display-path.js';
import { readRuleFiles } from '../input/rule-files.js';
import { DEFAULT_RULES_DIR } from '../paths.js';
import { assembleRuleFiles, refuseErrors } from '../run/rules.js';
import { LurescanError } from '../types.js';
import { openPools, readCorpus } from '../toolkit/corpus.js';
import { ruleStats, statsMarkdown, statsText } from '../toolkit/stats.js';
import { parseCorpusFlags, parseScoringFlags, reportColor } from './flags.js';
import type { StatsOptions } from './commands/rules.js';
import { EXIT_OK, writeReport, type CliIO } from './io.js';

export async function runStats(inputs: string[], options: StatsOptions, io: CliIO): Promise<number> {
  const format = options.format ?? 'text';
  const ruleset = refuseErrors(await assembleRuleFiles(await readRuleFiles(options.rules ?? DEFAULT_RULES_DIR)), 'given');
  for (const input of inputs) if (!existsSync(input)) throw new LurescanError('INPUT_NOT_FOUND', `input ${input} does not exist`);
  const [pool] = openPools([ruleset], parseScoringFlags(options, io));
  let report;
  try {
    report = await ruleStats(ruleset, pool!, {
      inputs: inputs.map((input) => relativeToCwd(input, io.cwd)),
      postings: readCorpus(inputs, parseCorpusFlags(options)),
    });
  } finally {
    await pool!.close();
  }
  if (report.postings === 0) throw new LurescanError('NO_POSTINGS', `no postings could be scored from ${inputs.join(', ')}`);
  let text: string;
  if (format === 'json') text = `${JSON.stringify(report, null, 2)}\n`;
  else if (format === 'markdown') text = statsMarkdown(report);
  else text = statsText(report, reportColor(options, io));
  await writeReport(text, options.out, io);
  return EXIT_OK;
}
