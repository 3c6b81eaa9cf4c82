import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // CLI cases run in the test process (test/helpers.ts runMain), so the test workers do the work
    // themselves: one per core, not vitest's default of one fewer (a single worker on two cores).
    maxWorkers: availableParallelism(),
    // Test files share their worker's modules (a worker runs file after file): lurescan's code loads,
    // compiles and warms up once a worker, not once a file, which was about a sixth of the suite's
    // CPU time. No test changes process-wide state (environment, working folder, mocks); each CLI run
    // gets its own streams and environment through main()'s parameters.
    isolate: false,
    // Worker threads, not child processes (vitest's default): measured back to back on two loaded
    // cores, `vitest run` took 109.8 and 112.6 CPU-s on threads against 119.6 and 117.6 on forks,
    // every test passing on both. No test needs a process of its own: none changes the working
    // folder, exits, or sets the environment (a thread's process.env is its own copy); what needs a
    // process (exit codes, signals, start-up) runs the built binary (test/helpers.ts runBinary).
    pool: 'threads',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
