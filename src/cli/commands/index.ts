// The commands, in the order `lurescan --help` lists them: each file here is one command's
// registration (its arguments, options and help, and an action that loads the command's code only
// when it runs), so `--help`, `--version` and a mistyped flag cost the definitions alone, not the
// rule engine, the model, the readers or the ReDoS checker. main.ts parses argv and dispatches.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { completionCommand } from './completion.js';
import { evalCommand } from './eval.js';
import { linkCommand } from './link.js';
import { reportCommand } from './report.js';
import { rescoreCommand } from './rescore.js';
import { rulesCommands } from './rules.js';
import { scanCommand } from './scan.js';
import { serveCommand } from './serve.js';
import { summaryCommand } from './summary.js';
import { trainCommand } from './train.js';

/** How a command's action hands its run (the exit code to come) to main(). */
export type SetCode = (run: Promise<number>) => void;

/** A command's registration: adds the command (or a group of them) to `program`. */
export type Registration = (program: Command, io: CliIO, setCode: SetCode) => void;

export const COMMANDS: readonly Registration[] = [
  scanCommand,
  trainCommand,
  evalCommand,
  rescoreCommand,
  summaryCommand,
  reportCommand,
  serveCommand,
  linkCommand,
  rulesCommands,
  completionCommand,
];
