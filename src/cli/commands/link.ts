// `lurescan link`'s registration: arguments, options and help; the run is ../link.ts.
import { Option, type Command } from 'commander';
import { INPUT_FORMATS } from '../../input/format-names.js';
import type { CliIO } from '../io.js';
import type { SetCode } from './index.js';
import { LIMIT_HELP } from '../options.js';

export interface LinkCliOptions {
  out?: string;
  edges?: string;
  graphml?: string;
  similarity?: string;
  genericOver?: string;
  minSize?: string;
  allow?: string;
  summaryOut?: string;
  rules?: string;
  model?: string | false;
  jobs?: string;
  map?: string;
  inputFormat?: string;
  encoding?: string;
  maxRecord?: string;
  maxRatio?: string;
  quiet?: boolean;
  summary?: boolean;
  redact?: boolean;
  redactKeyFile?: string;
}

export function linkCommand(program: Command, io: CliIO, setCode: SetCode): void {
  program
    .command('link')
    .description(
      'group postings into networks: those that share an identifier (phone, handle, email, domain, wallet) or are near-duplicates of one template, in any script; one cluster record per network',
    )
    .argument(
      '<inputs...>',
      'verdict files (scan --format jsonl, best with --include-text), or postings to score here (anything scan reads), folders, or - for stdin',
    )
    .option('-o, --out <file>', 'write the cluster records (JSONL) to a file (default: stdout)')
    .option('--edges <file>', 'also write the links as CSV: source, target, kind (contact or template), key, similarity, cluster')
    .option('--graphml <file>', 'also write the clusters as a GraphML graph (Gephi, yEd, networkx)')
    .option('--similarity <j>', 'estimated Jaccard similarity of two texts (4-character shingles) at which they are one template', '0.6')
    .option('--generic-over <n>', 'an identifier carried by postings of more than n different texts is generic and joins nothing', '50')
    .option('--min-size <n>', 'smallest cluster written', '2')
    .option('--allow <file>', 'identifiers never used to join: one key (phone:+85512345678) or value (hr_linda_kh) a line, # comments')
    .option('--summary-out <file>', 'also write the run summary as JSON to this file (identifiers filtered, with why)')
    .option(
      '--redact',
      'replace identifiers by keyed hashes (HMAC-SHA256; key from --redact-key-file or LURESCAN_REDACT_KEY) before linking: clusters join on the hashes, and no raw number, handle, e-mail, domain or wallet is written',
    )
    .option('--redact-key-file <file>', 'the key for --redact: the first line of this file (implies --redact)')
    .option('--rules <dir>', 'rules folder, for postings scored here (default: the shipped rules/)')
    .option('--model <file>', 'model file, for postings scored here (default: the shipped model)')
    .option('--no-model', 'score postings here with the rules only')
    .option('-j, --jobs <n>', 'scoring threads for postings scored here (default: one per core, within memory)')
    .addOption(new Option('--input-format <format>', 'read every input that is not a verdict file as this format').choices([...INPUT_FORMATS]))
    .option('--map <field=column,...>', 'column mapping for postings scored here, as for scan')
    .option('--encoding <label>', 'text encoding of the inputs, as for scan')
    .option('--max-record <size>', LIMIT_HELP.maxRecord)
    .option('--max-ratio <n>', LIMIT_HELP.maxRatio)
    .option('--no-summary', 'no summary on stderr')
    .option('-q, --quiet', 'nothing on stderr but fatal errors')
    .action((inputs: string[], options: LinkCliOptions) => setCode(import('../link.js').then((m) => m.runLink(inputs, options, io))));
}
