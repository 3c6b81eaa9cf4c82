// "A posting, or an error in its place": what every reader yields (input/), what `scan` and the
// library's scanner score (run/batches.ts), and what the rule toolkit's corpora are made of
// (toolkit/corpus.ts). One shape for all of them, so an error record is never dropped on the way.
import type { Posting } from './posting.js';
import type { ErrorRecord } from './verdict.js';

export type ReadItem = { kind: 'posting'; posting: Posting } | { kind: 'error'; record: ErrorRecord };
