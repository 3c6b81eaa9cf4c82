// The key for --redact (scan, link): where it comes from and what a usable one is.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LurescanError } from '../types.js';
import type { CliIO } from './io.js';

const REDACT_HELP =
  'give the key in a file (--redact-key-file <file>, its first line) or in the LURESCAN_REDACT_KEY environment variable: 16 characters at least, the same key for every run whose hashes are to match';

/**
 * The key for --redact: --redact-key-file (its first line; naming one implies --redact), else
 * LURESCAN_REDACT_KEY. Undefined when not redacting; a usage error when redacting without a key.
 */
export async function readRedactKey(options: { redact?: boolean; redactKeyFile?: string }, io: CliIO): Promise<string | undefined> {
  if (!options.redact && options.redactKeyFile === undefined) return undefined;
  let key: string | undefined;
  let where: string;
  if (options.redactKeyFile !== undefined) {
    where = `--redact-key-file ${options.redactKeyFile}`;
    try {
      key = (await readFile(path.resolve(io.cwd, options.redactKeyFile), 'utf8')).split('\n', 1)[0]!.trim();
    } catch (error) {
      throw new LurescanError('USAGE', `${where}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ${REDACT_HELP}`);
    }
  } else {
    where = 'LURESCAN_REDACT_KEY';
    key = io.env.LURESCAN_REDACT_KEY?.trim();
    if (key === undefined || key === '') throw new LurescanError('USAGE', `--redact needs a key: ${REDACT_HELP}`);
  }
  if (key.length < 16) throw new LurescanError('USAGE', `${where}: the key is shorter than 16 characters, short enough to be guessed; ${REDACT_HELP}`);
  return key;
}
