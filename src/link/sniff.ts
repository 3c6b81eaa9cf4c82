// Whether an input of `link` holds verdicts (`lurescan scan --format jsonl` output), read as they
// are, or postings, which link scores first: told from a file's first lines.
import { LurescanError } from '../types.js';
import { readLines } from './lines.js';
import { recordKind } from './verdicts.js';

/** How many lines of a file `link` reads to tell verdicts from postings. */
const SNIFF_LINES = 20;

/**
 * Whether a text holds verdict records: its first non-blank lines are verdicts (`flagged`,
 * `scores`) or error records, at least one a verdict unless all are errors. A whole
 * `scan --format json` output is refused (a USAGE error naming `name`) with what to do instead; a
 * text that cannot be read (binary, damaged gzip) holds none: the readers will say so as error records.
 */
export async function holdsVerdicts(chunks: AsyncIterable<string>, name: string): Promise<boolean> {
  let seen = 0;
  let verdicts = 0;
  try {
    for await (const { line, tooLong } of readLines(chunks, 16 * 1024 * 1024)) {
      if (tooLong) return false;
      if (seen === 0 && /^\s*\{\s*"verdicts"\s*:/.test(line)) {
        throw new LurescanError(
          'USAGE',
          `${name} is a whole \`scan --format json\` output; link reads verdict JSON lines: scan again with --format jsonl --include-text`,
        );
      }
      if (!line.trimStart().startsWith('{')) return false;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return false;
      }
      const kind = recordKind(value);
      if (kind === undefined) return false;
      if (kind === 'verdict') verdicts++;
      if (++seen >= SNIFF_LINES || verdicts > 0) break;
    }
  } catch (error) {
    if (error instanceof LurescanError && error.code === 'USAGE') throw error;
    return false;
  }
  return seen > 0;
}
