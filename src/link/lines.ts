// The lines of a verdict file, streamed: numbered, blank ones passed over, one over the limit
// reported (never held), so a damaged or giant line costs a count, not the run.
import { type TextLine, textLines } from '../text-lines.js';

/** A verdict file `link` reads twice: `open` gives its text in chunks each time. */
export interface LineSource {
  /** As shown in messages: the file's path, or `-`. */
  name: string;
  open(): AsyncIterable<string>;
}

/** A numbered line of a verdict file (src/text-lines.ts splits them, as the JSONL reader does). */
export type Line = TextLine;

export function readLines(chunks: AsyncIterable<string>, limit: number): AsyncGenerator<Line> {
  return textLines(chunks, limit);
}
