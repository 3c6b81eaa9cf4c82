// The clock the time budget is measured on. A posting's budget guards against pathological rules
// (catastrophic backtracking), not against a busy machine, so it counts the work the scoring thread
// did: its CPU time, read from /proc/self/task/<tid>/schedstat on Linux. A thread waiting for a core
// on a loaded machine gains no CPU time, so load cannot push an ordinary posting over. Node 20 has
// no per-thread CPU clock of its own (process.threadCpuUsage came in Node 23), and a thread cannot
// read its own while a regex blocks it, so the pool reads it from outside. Where /proc is missing
// (macOS, Windows) the clock is wall time, and the pool's retry on a fresh thread is what keeps a
// slow moment from costing a verdict.
import { readFileSync, readlinkSync } from 'node:fs';

export interface ThreadClock {
  /** `cpu`: the thread's own CPU time; `wall`: elapsed time. */
  readonly kind: 'cpu' | 'wall';
  /** Milliseconds on this clock; NaN when it cannot be read now (the thread is gone). */
  now(): number;
}

/**
 * The OS id of the calling thread (Linux), for the pool to read its CPU time: /proc/thread-self
 * names the thread that reads it. Undefined elsewhere.
 */
export function currentThreadId(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const match = /^(\d+)\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'));
    if (!match || Number(match[1]) !== process.pid) return undefined;
    return Number(match[2]);
  } catch {
    return undefined;
  }
}

/** Nanoseconds on the CPU: the first field of schedstat. */
function readSchedstat(file: string): number {
  const ns = Number(readFileSync(file, 'latin1').split(' ', 1)[0]);
  if (!Number.isFinite(ns)) throw new Error(`${file}: no run time`);
  return ns;
}

export const wallClock: ThreadClock = { kind: 'wall', now: () => performance.now() };

/** A thread's CPU clock when its id is known and the kernel reports it; else the wall clock. */
export function threadClock(tid: number | undefined): ThreadClock {
  if (tid === undefined) return wallClock;
  const file = `/proc/self/task/${tid}/schedstat`;
  try {
    readSchedstat(file);
  } catch {
    return wallClock;
  }
  return {
    kind: 'cpu',
    now: () => {
      try {
        return readSchedstat(file) / 1e6;
      } catch {
        return Number.NaN;
      }
    },
  };
}
