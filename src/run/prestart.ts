// The scoring thread started ahead of its pool. It imports only node:worker_threads, so the CLI's
// entry can start a `scan`'s first thread before it loads its own modules (bin/lurescan.js): the
// thread then loads its code (about 100 modules) on another core while the main thread loads the
// CLI's and reads the rules and the model. The first thread a pool starts adopts it; a process that
// never starts a pool (`--jobs 0`, a usage error) leaves it unreferenced, and it ends with the process.
import { Worker } from 'node:worker_threads';

/** The scoring thread's module. */
export const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * A scoring thread's young generation, in MB. V8's default let each thread's grow to about 34 MB,
 * though a posting's garbage is small and short-lived: at 8 MB a thread costs about 40 MB less at no
 * measurable CPU cost (5,000 rows of the bench dump, 2 threads: CPU 1.02x, median of 3 pairs).
 */
const WORKER_YOUNG_MB = 8;
export const WORKER_LIMITS = { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } };

/**
 * A scoring thread started before its pool exists, loading its code while this thread reads the
 * rules and the model; the first thread a pool starts adopts it. A one-posting scan's start-up
 * otherwise waits for the thread to load its modules after the rules are read.
 */
let prestarted: { worker: Worker; failed: boolean } | undefined;

/** Start a scoring thread's code loading now, for the next pool's first thread (see `prestarted`). */
export function prestartScoringThread(): void {
  if (prestarted !== undefined) return;
  const worker = new Worker(WORKER_URL, WORKER_LIMITS);
  const entry = { worker, failed: false };
  // A thread that fails before it is adopted is not adopted: the pool starts one of its own, and
  // reports that one's failure.
  const onFailure = (): void => {
    entry.failed = true;
  };
  worker.once('error', onFailure);
  worker.once('exit', onFailure);
  worker.unref();
  prestarted = entry;
}

/** The thread `prestartScoringThread` started, for a pool to adopt; undefined if none, or if it failed. */
export function adoptPrestarted(): Worker | undefined {
  const entry = prestarted;
  prestarted = undefined;
  if (entry === undefined) return undefined;
  if (entry.failed) {
    void entry.worker.terminate();
    return undefined;
  }
  entry.worker.removeAllListeners('error');
  entry.worker.removeAllListeners('exit');
  return entry.worker;
}

/**
 * Whether a command line (without node and script) is a `scan` that scores on threads, judged from
 * the words alone before any module is loaded: the CLI's entry then starts the first thread early.
 * A wrong guess costs only time: a thread nobody adopts ends with the process, and a scan that needs
 * one and finds none starts its own.
 */
export function scansOnThreads(argv: readonly string[]): boolean {
  if (argv[0] !== 'scan') return false;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--help' || arg === '-h') return false;
    if (arg === '--jobs' || arg === '-j') {
      if (argv[i + 1] === '0') return false;
    } else if (arg === '--jobs=0' || arg === '-j0') return false;
  }
  return true;
}
