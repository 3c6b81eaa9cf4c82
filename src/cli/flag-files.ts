// The files flags name, read and checked: the key for --redact (scan, link, serve) and serve's
// bearer token (a file's first line, or the environment), link's --allow list and scan's --urls.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EMPTY_ALLOWLIST, parseAllowlist, type Allowlist } from '../link/allowlist.js';
import { planInputs, type InputUnit } from '../input/index.js';
import { readUrlList } from '../input/web/url-list.js';
import { LurescanError } from '../types.js';
import type { CliIO } from './io.js';

const REDACT_HELP =
  'give the key in a file (--redact-key-file <file>, its first line) or in the LURESCAN_REDACT_KEY environment variable: 16 characters at least, the same key for every run whose hashes are to match';

/** A file's first line, trimmed; a usage error saying `where` and why (then `help`) when it cannot be read. */
async function firstLine(file: string, where: string, help: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n', 1)[0]!.trim();
  } catch (error) {
    throw new LurescanError('USAGE', `${where}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})${help}`);
  }
}

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
    key = await firstLine(path.resolve(io.cwd, options.redactKeyFile), where, `; ${REDACT_HELP}`);
  } else {
    where = 'LURESCAN_REDACT_KEY';
    key = io.env.LURESCAN_REDACT_KEY?.trim();
    if (key === undefined || key === '') throw new LurescanError('USAGE', `--redact needs a key: ${REDACT_HELP}`);
  }
  if (key.length < 16) throw new LurescanError('USAGE', `${where}: the key is shorter than 16 characters, short enough to be guessed; ${REDACT_HELP}`);
  return key;
}

/** serve's bearer token: from --token-file (its first line), else LURESCAN_TOKEN; none when neither is set. */
export async function readToken(options: { tokenFile?: string }, io: CliIO): Promise<string | undefined> {
  if (options.tokenFile !== undefined) {
    const token = await firstLine(options.tokenFile, `--token-file ${options.tokenFile}`, '');
    if (token.length < 16) throw new LurescanError('USAGE', `--token-file ${options.tokenFile}: the token on its first line is shorter than 16 characters`);
    return token;
  }
  const env = io.env.LURESCAN_TOKEN?.trim();
  if (env !== undefined && env !== '') {
    if (env.length < 16) throw new LurescanError('USAGE', 'LURESCAN_TOKEN is shorter than 16 characters');
    return env;
  }
  return undefined;
}

/** `--allow <file>` (link): identifiers never used to join; none without the flag. */
export async function readAllowlist(file: string | undefined): Promise<Allowlist> {
  if (file === undefined) return EMPTY_ALLOWLIST;
  try {
    return parseAllowlist(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LurescanError('USAGE', `--allow ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}`);
  }
}

/** scan's inputs: those named, then the URLs a `--urls <file>` lists; a usage error when that file lists none and nothing else is named. */
export async function inputsWithUrlList(inputs: readonly string[], urls: string | undefined): Promise<InputUnit[]> {
  const listed = urls !== undefined ? await readUrlList(urls) : [];
  if (inputs.length === 0 && listed.length === 0) throw new LurescanError('USAGE', `no inputs: ${urls} lists no URLs`);
  return [...(await planInputs([...inputs])), ...listed.map((name) => ({ kind: 'url' as const, name }))];
}
