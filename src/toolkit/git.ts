// A rules folder as it was at a git ref, read into memory with read-only git commands (rev-parse,
// ls-tree, show): the work tree, index and branches are never touched.
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { LurescanError } from '../types.js';
import type { RuleFileText } from '../contracts/rule-file.js';
import type { SarifOptions } from './sarif.js';

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error((stderr || error.message).trim().split('\n')[0]));
      else resolve(stdout);
    });
  });
}

const RULE_FILE = /\.ya?ml$/i;

/** The rule files under `rulesDir`'s place in its repository, as they were at `ref`. */
export async function readRulesAtRef(ref: string, rulesDir: string): Promise<RuleFileText[]> {
  if (ref.startsWith('-') || ref.trim() === '') throw new LurescanError('BAD_REF', `--base: \`${ref}\` is neither a folder nor a git ref`);
  let dir: string;
  try {
    dir = await realpath(rulesDir);
  } catch {
    throw new LurescanError('RULES_NOT_FOUND', `rules folder ${rulesDir} does not exist`);
  }
  let top: string;
  try {
    top = (await git(dir, ['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    throw new LurescanError('BAD_REF', `--base ${ref}: not a folder, and ${rulesDir} is not in a git repository (${(error as Error).message})`);
  }
  let commit: string;
  try {
    commit = (await git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch {
    throw new LurescanError('BAD_REF', `--base ${ref}: no such folder, and no such git ref in ${top}`);
  }
  const prefix = path
    .relative(await realpath(top), dir)
    .split(path.sep)
    .join('/');
  const listed = (await git(top, ['ls-tree', '-r', '-z', '--name-only', commit, '--', prefix || '.'])).split('\0');
  const files = listed.filter((file) => RULE_FILE.test(file) && !file.split('/').some((part) => part.startsWith('.')));
  if (files.length === 0) throw new LurescanError('NO_RULES', `no rule files (*.yaml) under ${prefix || 'the repository root'} at ${ref}`);
  files.sort();
  return Promise.all(
    files.map(async (file) => ({
      file: `${ref}:${file}`,
      key: prefix ? file.slice(prefix.length + 1) : file,
      text: await git(top, ['show', `${commit}:${file}`]),
    })),
  );
}

/** The root of the git repository holding `dir`, or undefined when it is in none (or git is missing). */
export async function repositoryRoot(dir: string): Promise<string | undefined> {
  try {
    return (await git(dir, ['rev-parse', '--show-toplevel'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Where SARIF URIs are relative to: the repository holding the rules (GitHub matches them there), else the working folder. */
export async function sarifPlace(rules: string, cwd: string): Promise<SarifOptions> {
  const root = await repositoryRoot(path.resolve(cwd, rules));
  return { cwd, ...(root !== undefined ? { root: await realpath(root).catch(() => root) } : {}) };
}
