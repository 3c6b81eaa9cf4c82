// Option definitions shared by the command registrations (commands/). Only commander and the format
// names are imported here: the registrations load before a command runs (for --help too), so they
// must stay light.
import { Option, type Command } from 'commander';
import { INPUT_FORMATS } from '../input/format-names.js';

/** Collects a repeatable option's values (commander's reducer). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The help text of the limit options, shared by every command that reads postings. */
export const LIMIT_HELP = {
  maxRecord: 'largest record read: a CSV row, JSON(L) record, page or WARC record, e.g. 64MB (default 16MB)',
  maxRatio: 'largest unpacked-to-packed size ratio of a .gz input past 64 MB unpacked, against decompression bombs (default 100)',
};

/** `--color <when>` (always, never, auto) with `--no-color`, on every command that colours its output. */
export function colorOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--color <when>', 'colours: always, never, or auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR forces them)').choices([
        'always',
        'never',
        'auto',
      ]),
    )
    .option('--no-color', 'no colours (same as --color never)');
}

/** `--by`: `eval` and `rescore` report figures per group the same way. */
export const byOption = (): Option =>
  new Option('--by <grouping>', "figures per group: lang (the posting's meta.lang, else as detected), source (file), meta.<key>, or none").default('lang');

/** How a labelled set is read: the options of `train`, `eval` and `rescore`. */
export const labelledOptions = (command: Command): Command =>
  command
    .option('--label <column>', 'the answer-key column (default: a column named label, fraudulent, is_scam, ...)')
    .option(
      '--label-map <value=label,...>',
      'what label values mean, e.g. 2=employment-fraud,0.5=legit (built in: 0/1, true/false, legit, fraud, employment-fraud, forced-criminality, ...)',
    )
    .option('--map <field=column,...>', 'column mapping, as for scan')
    .option('--default-label <label>', 'what a posting without a label is (e.g. legit, for job-board sets presumed legitimate)')
    .addOption(new Option('--input-format <format>', 'read every input as this format instead of by extension').choices([...INPUT_FORMATS]))
    .option('--encoding <label>', 'text encoding of the inputs, as for scan')
    .option('--max-record <size>', LIMIT_HELP.maxRecord)
    .option('--max-ratio <n>', LIMIT_HELP.maxRatio);
