// `lurescan serve`'s registration: options and help; the run is ../serve.ts.
import type { Command } from 'commander';
import { DEFAULT_BUDGET_MS } from '../../run/budget.js';
import type { CliIO } from '../io.js';
import type { SetCode } from './index.js';
import { collect } from '../options.js';

export interface ServeOptions {
  host?: string;
  port?: string;
  tokenFile?: string;
  rules?: string;
  model?: string | false;
  baseRate?: string[];
  jobs?: string;
  timeBudget?: string;
  maxBody?: string;
  maxBatch?: string;
  requestTimeout?: string;
  includeText?: boolean;
  explain?: boolean;
  redact?: boolean;
  redactKeyFile?: string;
}

export function serveCommand(program: Command, io: CliIO, setCode: SetCode): void {
  program
    .command('serve')
    .description('score postings over HTTP for review queues: POST /v1/score (one posting), POST /v1/batch (JSON array or JSONL), GET /healthz, GET /metrics')
    .option('--host <address>', 'address to listen on (default 127.0.0.1: this machine only)')
    .option('--port <n>', 'port to listen on (default 8080; 0 picks a free one, named on stderr)')
    .option('--token-file <file>', 'require `Authorization: Bearer <token>`, the token being the first line of this file (or set LURESCAN_TOKEN)')
    .option('--rules <dir>', 'rules folder or file (default: the shipped rules/)')
    .option('--model <file>', 'model file (default: the shipped models/default.json)')
    .option('--no-model', 'score with the rules only')
    .option('--base-rate <label=p>', "share of a label in the feed, for the model's probabilities (repeatable)", collect)
    .option('-j, --jobs <n>', 'scoring threads (default: one per core, within half the memory; 0: on the serving thread, without a time budget)')
    .option('--time-budget <ms>', 'work time per posting on its scoring thread', String(DEFAULT_BUDGET_MS))
    .option('--max-body <size>', 'largest request body (default 10MB; 413 past it)')
    .option('--max-batch <n>', 'most postings in one batch (default 10000; 413 past it)')
    .option('--request-timeout <seconds>', 'time a client has to send a whole request (default 300)')
    .option('--include-text', "copy every field's full text into the verdict")
    .option('--explain', "add the tokens that weighed most for and against the model's label")
    .option('--redact', 'answer with every contact replaced by a keyed hash, as scan --redact (key from --redact-key-file or LURESCAN_REDACT_KEY)')
    .option('--redact-key-file <file>', 'the key for --redact: the first line of this file (implies --redact)')
    .action((options: ServeOptions) => setCode(import('../serve.js').then((m) => m.runServe(options, io))));
}
