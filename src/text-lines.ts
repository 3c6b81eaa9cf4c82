// The lines of a text stream, numbered, for every reader of line-based files (JSONL postings,
// verdict files): one splitter, so they agree on line numbers, blank lines and over-long lines.

export interface TextLine {
  /** Without its line end; empty when `tooLong`. */
  line: string;
  /** 1-based, counting blank lines too. */
  number: number;
  /** The line was longer than the limit: dropped as it streamed, never held. */
  tooLong: boolean;
}

/**
 * The non-blank lines of a text stream with their numbers, without line ends; a line over `limit`
 * characters is dropped as it streams (never held) and flagged. Blank lines are counted and passed
 * over here, so a file of millions of empty lines (a gzip bomb of newlines) costs a scan, not a
 * record each.
 */
export async function* textLines(text: AsyncIterable<string>, limit: number): AsyncGenerator<TextLine> {
  let pending = '';
  let tooLong = false;
  let number = 0;
  for await (const chunk of text) {
    let start = 0;
    let at = chunk.indexOf('\n');
    while (at >= 0) {
      number++;
      if (tooLong) yield { line: '', number, tooLong };
      else if (pending === '' && at - start < 2 && (at === start || chunk.charCodeAt(start) === 13)) {
        // an empty line: counted, not yielded
      } else if (pending.length + at - start > limit) {
        yield { line: '', number, tooLong: true };
      } else {
        const line = (pending + chunk.slice(start, at)).replace(/\r$/, '');
        if (line.trim() !== '') yield { line, number, tooLong };
      }
      pending = '';
      tooLong = false;
      start = at + 1;
      at = chunk.indexOf('\n', start);
    }
    if (!tooLong && start < chunk.length) {
      pending += chunk.slice(start);
      if (pending.length > limit) {
        pending = '';
        tooLong = true;
      }
    }
  }
  number++;
  if (tooLong) yield { line: '', number, tooLong };
  else if (pending.trim() !== '') yield { line: pending.replace(/\r$/, ''), number, tooLong };
}
