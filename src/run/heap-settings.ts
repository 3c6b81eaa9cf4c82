// A V8 setting `scan` gives its own process when scoring threads do the work: the old generation
// may grow to 1.15 times what was live after its last full collection, where V8's default lets it
// grow 1.1 to 4 times (by how fast it collects). Each scoring thread makes a posting's garbage by
// the megabyte and kept an old space that swung between 35 and 97 MB, with garbage typed arrays
// (and the malloc'd memory under them) beside it, waiting for a full collection: most of the peak.
// With the setting each isolate collects more often and holds less. V8 reads it as it runs, so it
// can be set after start-up (the heap sizes on V8's command line cannot).
//
// The flag is process-wide: the library's scanner and in-process callers of main(), which run in
// somebody else's process, leave it alone; `lurescan scan` owns its process. Measured in
// docs/performance.md ("Peak memory at two threads, cut").
import { setFlagsFromString } from 'node:v8';

/** Percent the old generation may grow past what a full collection left live. */
export const HEAP_GROWING_PERCENT = 15;

let applied = false;

/** Set the scan's V8 setting for this process (once; later calls do nothing). */
export function useScanHeapSettings(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
