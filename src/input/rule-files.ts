// Reads a rules folder from disk: the file texts the rules stage parses (rules/ruleset.ts). The
// I/O half of loading rules; assembling, planning and the cache are run/rules.ts.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RuleFileText } from '../contracts/rule-file.js';
import { LurescanError } from '../types.js';
import { relativeToCwd } from '../display-path.js';

const RULE_FILE = /\.ya?ml$/i;

/** Every *.yaml / *.yml below a folder (or the one file named), sorted, hidden entries skipped. */
export async function readRuleFiles(location: string): Promise<RuleFileText[]> {
  const { single, root, found } = await listRuleFiles(location);
  const label = (file: string): string => relativeToCwd(file, process.cwd());
  const key = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  if (single) return [{ file: label(location), key: key(location), text: await readFile(location, 'utf8') }];
  return Promise.all(found.map(async (file) => ({ file: label(file), key: key(file), text: await readFile(file, 'utf8') })));
}

/** The rule files at a location: the one file named, or every *.yaml / *.yml below a folder, sorted, hidden entries skipped. */
export async function listRuleFiles(location: string): Promise<{ single: boolean; root: string; found: string[] }> {
  let info;
  try {
    info = await stat(location);
  } catch {
    throw new LurescanError('RULES_NOT_FOUND', `rules folder ${location} does not exist`);
  }
  if (info.isFile()) return { single: true, root: path.dirname(location), found: [location] };
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (RULE_FILE.test(entry.name)) found.push(full);
    }
  };
  try {
    await walk(location);
  } catch (error) {
    throw new LurescanError('RULES_UNREADABLE', `cannot read rules folder ${location}: ${(error as Error).message}`);
  }
  if (found.length === 0) throw new LurescanError('NO_RULES', `no rule files (*.yaml) in ${location}`);
  found.sort();
  return { single: false, root: location, found };
}
