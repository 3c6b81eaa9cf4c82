#!/usr/bin/env node
// lurescan command-line entry: run main() with this process's streams, environment and working
// folder, and exit with its code. The only place that reads the process: main() takes it all as
// arguments. A crash (an error main() does not expect) is reported here, without a stack trace,
// as exit 2, whether main() throws it or it is thrown outside main()'s promise (a stream's error
// event, a timer): exit 1 means "flagged" to a pipeline and must not be a crash's code. Ctrl-C or
// SIGTERM removes any half-written output file before exiting (130 or 143); a command that ends on
// its own terms (serve: finish the requests in flight) gets the first signal, a second one stops it.
import { prestartScoringThread, scansOnThreads } from '../dist/run/prestart.js';

// A scan's first scoring thread loads its code on another core while this one loads the CLI's
// (run/prestart.ts): started before the imports below, which are dynamic for that reason.
const argv = process.argv.slice(2);
if (scansOnThreads(argv)) prestartScoringThread();
const { crashed, interrupted, main } = await import('../dist/cli/main.js');
const { processIO, takeShutdown } = await import('../dist/cli/io.js');
const { removeOpenTemps } = await import('../dist/run/output-files.js');

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (!takeShutdown(signal)) process.exit(interrupted(signal, process.stderr));
  });
}
const uncaught = (error) => {
  removeOpenTemps();
  process.exit(crashed(error, process.stderr));
};
process.on('uncaughtException', uncaught);
process.on('unhandledRejection', uncaught);
let code;
try {
  code = await main({ argv, ...processIO() });
} catch (error) {
  code = crashed(error, process.stderr);
}
process.exitCode = code;
