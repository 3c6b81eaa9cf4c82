// The progress line a scan keeps on stderr while it runs on a terminal: read, flagged and errors
// so far and the rate, redrawn at most twice a second on one line, cleared before a record is
// written to the same terminal and when the run ends.
import type { Summary } from './summary.js';

const CLEAR = '\r\x1b[K';

export class ProgressLine {
  private last = 0;
  private shown = false;
  private firstScoredAt: number | undefined;

  /**
   * `write` puts text on stderr; `sharesTerminal`: the records go to the same terminal, so the line
   * is cleared before each one; `now` is the clock (milliseconds).
   */
  constructor(
    private readonly write: (text: string) => void,
    private readonly sharesTerminal: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** Before a record is written: clear the line when both are on one terminal, or the record would run into it. */
  beforeRecord(): void {
    if (this.shown && this.sharesTerminal) {
      this.write(CLEAR);
      this.shown = false;
    }
  }

  /** After a record: redraw the line if the last one is more than half a second old. */
  tick(summary: Summary): void {
    if (this.now() - this.last <= 500) return;
    this.last = this.now();
    // The rate counts from the first record scored, not from start-up (loading rules and model).
    this.firstScoredAt ??= this.now();
    const seconds = (this.now() - this.firstScoredAt) / 1000;
    const rate = seconds >= 1 ? `${Math.round(summary.read / seconds)}/s` : '…/s';
    this.write(`\rlurescan: ${summary.read} read, ${summary.flagged.any} flagged, ${summary.errors} errors (${rate})  `);
    this.shown = true;
  }

  /** The run is over: clear the line if one was ever drawn. */
  end(): void {
    if (this.last > 0) this.write(CLEAR);
  }
}
