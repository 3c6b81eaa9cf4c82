#!/usr/bin/env node
// lurescan command-line entry: run main() and exit with its code.
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
