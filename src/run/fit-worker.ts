// A fitting thread (fit-threads.ts): fits the jobs it is sent, one at a time, over the prepared
// documents it started with, and sends each job's weights back (the table moved, not copied).
import { parentPort, workerData } from 'node:worker_threads';
import { type FitJob, fitPrepared, jobDocs } from '../model/logistic.js';
import type { FitThreadData } from './fit-threads.js';

const port = parentPort!;
const { docs, keep, size, fold, options } = workerData as FitThreadData;

port.on('message', (job: FitJob) => {
  const weights = fitPrepared(jobDocs(docs, fold, job), { docs, keep, size }, options);
  port.postMessage({ job, bias: weights.bias, table: weights.table }, [weights.table.buffer as ArrayBuffer]);
});
