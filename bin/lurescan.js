#!/usr/bin/env node
// lurescan command-line entry: run main() and exit with its code. Ctrl-C or SIGTERM removes any
// half-written output file before exiting (130 or 143).
import { interrupted, main } from '../dist/cli/main.js';

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(interrupted(signal)));
const code = await main(process.argv.slice(2));
process.exitCode = code;
