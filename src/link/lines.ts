// The lines of a verdict file, streamed: numbered, blank ones passed over, one over the limit
// reported (never held), so a damaged or giant line costs a count, not the run.

/** A verdict file `link` reads twice: `open` gives its text in chunks each time. */
export interface LineSource {
  /** As shown in messages: the file's path, or `-`. */
  name: string;
  open(): AsyncIterable<string>;
}

export interface Line {
  line: string;
  /** 1-based, counting blank lines too. */
  number: number;
  /** The line was longer than the limit; `line` is empty. */
  tooLong: boolean;
}

export async function* readLines(chunks: AsyncIterable<string>, limit: number): AsyncGenerator<Line> {
  let pending = '';
  let tooLong = false;
  let number = 0;
  for await (const chunk of chunks) {
    let start = 0;
    let at = chunk.indexOf('\n');
    while (at >= 0) {
      number++;
      if (tooLong || pending.length + at - start > limit) yield { line: '', number, tooLong: true };
      else {
        const line = pending + chunk.slice(start, at);
        if (line.trim() !== '') yield { line: line.endsWith('\r') ? line.slice(0, -1) : line, number, tooLong: false };
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
  if (tooLong) yield { line: '', number, tooLong: true };
  else if (pending.trim() !== '') yield { line: pending.endsWith('\r') ? pending.slice(0, -1) : pending, number, tooLong: false };
}
