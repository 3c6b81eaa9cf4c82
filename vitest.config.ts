import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const dist = fileURLToPath(new URL('./dist/', import.meta.url));

export default defineConfig({
  // The tests import lurescan as `../src/<module>.js` (typed, and type-checked, against the source)
  // but run the build `npm test` makes first (test/global-setup.ts refuses a build older than src/),
  // loaded by Node itself rather than transformed by Vite. The CLI cases already ran dist/ (runMain
  // imports dist/cli/main.js, whose scoring threads start dist/run/worker.js): a worker then held
  // two copies of lurescan, the source one transformed by Vite and the built one, each loaded,
  // compiled and warmed up on its own. Measured back to back on two loaded cores, `vitest run`
  // took 99.6 CPU-s this way against 112.9 with the source transformed, every test passing both ways.
  resolve: {
    alias: [{ find: /^(?:\.\.\/)+src\/(.*)\.js$/, replacement: `${dist}$1.js` }],
  },
  test: {
    server: { deps: { external: [/\/dist\//] } },
    globalSetup: ['test/global-setup.ts'],
    // Three suites. `unit` (npm test): what the code does, on small inputs made for each test and the
    // fixtures. `shipped` (npm run test:shipped): checks of what we ship, each over a whole: the
    // shipped rules lint clean and pass every example and case, the prefilter gives every shipped
    // rule the hits running its matchers gives, the trigram detector agrees with franc on a corpus
    // sample, the corpus keeps its split, the packed package imports and type-checks. They are about
    // a quarter of the suite's CPU and say nothing new about the code until the rules, corpus or
    // package change, which is when a rule author runs them (CONTRIBUTING.md). `process` (npm run
    // test:process): what only whole processes show and what costs whole processes: scoring threads
    // under their time budget with cores kept busy, the V8 setting a scan makes for its own process,
    // the report in a real Chromium (test/process/). They were a quarter of `npm test`'s CPU, most
    // of it in child processes; a change to src/run/, the report page or the CLI's start-up runs
    // them. CI runs all three.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/shipped/**', 'test/process/**'] } },
      { extends: true, test: { name: 'shipped', include: ['test/shipped/**/*.test.ts'] } },
      { extends: true, test: { name: 'process', include: ['test/process/**/*.test.ts'] } },
    ],
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
