// scan's progress line (report/progress.ts) on a clock the test sets: redrawn at most twice a
// second, its rate counted from the first record, cleared before a record on the same terminal and
// at the end, and never drawn nor cleared when no record came.
import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../src/report/progress.js';
import { emptySummary } from '../src/report/summary.js';

const CLEAR = '\r\x1b[K';

function line(sharesTerminal: boolean): { progress: ProgressLine; written: string[]; at: (ms: number) => void } {
  const written: string[] = [];
  let now = 0;
  const progress = new ProgressLine(
    (text) => written.push(text),
    sharesTerminal,
    () => now,
  );
  return { progress, written, at: (ms) => (now = ms) };
}

const summary = (read: number, flagged: number, errors: number) => {
  const s = emptySummary('0.0.0', { fingerprint: 'f', rules: 0, files: 0 });
  s.read = read;
  s.flagged.any = flagged;
  s.errors = errors;
  return s;
};

describe('ProgressLine', () => {
  it('draws at most every half second, with the rate from the first record drawn', () => {
    const { progress, written, at } = line(false);
    at(10_000);
    progress.tick(summary(1, 0, 0));
    at(10_400);
    progress.tick(summary(2, 1, 0));
    at(12_000);
    progress.tick(summary(41, 7, 2));
    expect(written).toEqual(['\rlurescan: 1 read, 0 flagged, 0 errors (…/s)  ', '\rlurescan: 41 read, 7 flagged, 2 errors (21/s)  ']);
    progress.end();
    expect(written.at(-1)).toBe(CLEAR);
  });

  it('clears the line before a record written to the same terminal, once, and not when the records go elsewhere', () => {
    const shared = line(true);
    shared.at(1000);
    shared.progress.beforeRecord();
    shared.progress.tick(summary(1, 1, 0));
    shared.progress.beforeRecord();
    shared.progress.beforeRecord();
    expect(shared.written.filter((text) => text === CLEAR)).toHaveLength(1);

    const apart = line(false);
    apart.at(1000);
    apart.progress.tick(summary(1, 1, 0));
    apart.progress.beforeRecord();
    expect(apart.written.filter((text) => text === CLEAR)).toHaveLength(0);
  });

  it('writes nothing at the end of a run that drew no line', () => {
    const { progress, written } = line(true);
    progress.beforeRecord();
    progress.end();
    expect(written).toEqual([]);
  });
});
