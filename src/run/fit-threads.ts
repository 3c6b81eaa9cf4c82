// The logistic kind's fits side by side on threads (model/logistic.ts `FitJobs`): the whole fit and
// one fit per calibration fold are independent and each deterministic, so threads give the weights
// one thread would, bit for bit, in less time. On the 58.com training part copied 16 times the fits
// were 21 s of a 31 s training: a fit visits every document ten times, and there are six of them.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type FitJob, type FitJobs, fitJobsHere, type LogisticOptions, type PreparedDoc } from '../model/logistic.js';

/** What a fitting thread starts with: the prepared documents, their ids views of shared memory. */
export interface FitThreadData {
  docs: PreparedDoc[];
  keep: Uint8Array;
  size: number;
  /** Each document's fold, by its place in the input (`PreparedDoc.index`). */
  fold: Int32Array;
  options: LogisticOptions;
}

/**
 * Below this many documents a training fits on the calling thread: starting a thread and copying
 * the documents' list to it costs more than the thread saves.
 */
export const THREADED_FIT_MIN_DOCUMENTS = 5000;

/** The fits of a training of `documents` postings: on one thread per core from THREADED_FIT_MIN_DOCUMENTS up, else on the calling thread. */
export function fitJobsFor(documents: number): FitJobs {
  return documents >= THREADED_FIT_MIN_DOCUMENTS ? fitJobsOnThreads(availableParallelism()) : fitJobsHere;
}

/** Fits on `threads` threads at most (one per job at most), each taking the next job as it finishes one; with one, on the calling thread. */
export function fitJobsOnThreads(threads: number): FitJobs {
  return async (prepared, fold, jobs, options, take) => {
    const count = Math.min(threads, jobs.length);
    if (count <= 1) return fitJobsHere(prepared, fold, jobs, options, take);
    const sharedFold = new Int32Array(new SharedArrayBuffer(fold.byteLength));
    sharedFold.set(fold);
    const data: FitThreadData = { docs: prepared.docs, keep: prepared.keep, size: prepared.size, fold: sharedFold, options };
    const queue = [...jobs];
    const workers: Worker[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        let running = 0;
        let failed = false;
        const fail = (error: Error): void => {
          if (failed) return;
          failed = true;
          reject(error);
        };
        const next = (worker: Worker): void => {
          const job = queue.shift();
          if (job === undefined) {
            if (--running === 0) resolve();
            return;
          }
          worker.postMessage(job);
        };
        for (let i = 0; i < count; i++) {
          const worker = new Worker(new URL('./fit-worker.js', import.meta.url), { workerData: data });
          workers.push(worker);
          running++;
          worker.on('message', (done: { job: FitJob; bias: number[]; table: Float64Array }) => {
            if (failed) return;
            try {
              take(done.job, { bias: done.bias, table: done.table });
            } catch (error) {
              fail(error as Error);
              return;
            }
            next(worker);
          });
          worker.on('error', fail);
          worker.on('exit', (code) => {
            if (code !== 0) fail(new Error(`a fitting thread stopped (exit code ${code})`));
          });
          next(worker);
        }
      });
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
    }
  };
}
