// The time budget a posting gets by default: it guards against pathological rules (catastrophic
// backtracking), not against a slow machine (see pool.ts and clock.ts). Its own file, so the
// command line can show it in --help without loading the pool.

/** Milliseconds of the scoring thread's CPU time one posting may take before it is retried, then reported. */
export const DEFAULT_BUDGET_MS = 5000;
