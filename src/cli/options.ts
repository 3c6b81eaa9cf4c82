// Option definitions shared by the command registrations. Only commander is imported here: the
// registrations load before a command runs (for --help too), so they must stay light.
import { Option, type Command } from 'commander';

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
