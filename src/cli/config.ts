// The project's own defaults for `scan`: `.lurescan.yaml` (or `.yml`), or a `lurescan` key in
// package.json, found in the working folder or the nearest folder above it (not past a git root),
// as gitleaks, semgrep and markdownlint-cli2 users expect. Flags given on the command line win.
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LurescanError, LABELS, type Label } from '../types.js';
import { relativeToCwd } from '../display-path.js';

export const CONFIG_NAMES = ['.lurescan.yaml', '.lurescan.yml'];

/** What a config file may set, as scan's option values. */
export interface ConfigValues {
  rules?: string;
  model?: string | false;
  map?: string;
  failOn?: string;
  baseRate?: string[];
  thresholds?: Partial<Record<Label, number>>;
  jobs?: string;
  encoding?: string;
  redact?: boolean;
  redactKeyFile?: string;
}

export interface LoadedConfig {
  /** As shown to users. */
  file: string;
  values: ConfigValues;
}

const KEYS = ['rules', 'model', 'map', 'fail-on', 'base-rates', 'thresholds', 'jobs', 'encoding', 'redact', 'redact-key-file'];

/** The config file that applies in `cwd`: the nearest one up to a git root or the file system's root. */
export function findConfig(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) if (existsSync(path.join(dir, name))) return path.join(dir, name);
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const parsed = JSON.parse(readFileSync(pkg, 'utf8')) as Record<string, unknown>;
        if (parsed.lurescan !== undefined) return pkg;
      } catch {
        // a package.json that does not parse is not ours to judge
      }
    }
    const parent = path.dirname(dir);
    if (existsSync(path.join(dir, '.git')) || parent === dir) return undefined;
    dir = parent;
  }
}

/** Read and check a config file; every problem is a usage error naming the file and the key. */
export async function loadConfig(file: string, cwd: string): Promise<LoadedConfig> {
  const shown = relativeToCwd(file, cwd);
  let raw: unknown;
  try {
    const text = await readFile(file, 'utf8');
    // The YAML parser is loaded only for a YAML config: a scan without one does not pay for it.
    raw = path.basename(file) === 'package.json' ? (JSON.parse(text) as Record<string, unknown>).lurescan : (await import('yaml')).parse(text);
  } catch (error) {
    throw new LurescanError('USAGE', `config ${shown}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const where = path.basename(file) === 'package.json' ? `${shown} (key lurescan)` : shown;
  const bad = (key: string, what: string): never => {
    throw new LurescanError('USAGE', `config ${where}: \`${key}\` ${what}`);
  };
  if (raw === null || raw === undefined) return { file: shown, values: {} };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new LurescanError('USAGE', `config ${where}: must be a mapping of settings (${KEYS.join(', ')})`);
  const base = path.dirname(file);
  const values: ConfigValues = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    switch (key) {
      case 'rules':
        if (typeof value !== 'string' || value === '') bad(key, 'must be the path of a rules folder or file');
        values.rules = path.resolve(base, value as string);
        break;
      case 'model':
        if (value === false) values.model = false;
        else if (typeof value === 'string' && value !== '') values.model = path.resolve(base, value);
        else bad(key, 'must be the path of a model file, or false for rules only');
        break;
      case 'map':
        if (typeof value === 'string') values.map = value;
        else if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string')) {
          values.map = Object.entries(value as Record<string, string>)
            .map(([field, column]) => `${field}=${column}`)
            .join(',');
        } else bad(key, 'must map fields to columns, e.g. {title: headline, description: body}');
        break;
      case 'fail-on':
        if (typeof value === 'string') values.failOn = value;
        else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) values.failOn = value.join(',');
        else bad(key, 'must be a label, any or error, or a list of them');
        break;
      case 'base-rates':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(key, 'must map labels to shares, e.g. {employment-fraud: 0.05}');
        values.baseRate = Object.entries(value as Record<string, unknown>).map(([label, rate]) => `${label}=${String(rate)}`);
        break;
      case 'thresholds': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(key, 'must map labels to score thresholds, e.g. {forced-criminality: 9}');
        const thresholds: Partial<Record<Label, number>> = {};
        for (const [label, n] of Object.entries(value as Record<string, unknown>)) {
          if (!(LABELS as readonly string[]).includes(label)) bad(`thresholds.${label}`, `is not a label (${LABELS.join(', ')})`);
          if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) bad(`thresholds.${label}`, 'must be a positive number of points');
          thresholds[label as Label] = n as number;
        }
        values.thresholds = thresholds;
        break;
      }
      case 'jobs':
        if (!Number.isInteger(value) || (value as number) < 0) bad(key, 'must be a whole number of scoring threads (0: the main thread)');
        values.jobs = String(value);
        break;
      case 'encoding':
        if (typeof value !== 'string') bad(key, 'must be an encoding label such as gbk or windows-1252');
        values.encoding = value as string;
        break;
      case 'redact':
        if (typeof value !== 'boolean') bad(key, 'must be true or false (the key itself never goes in this file: redact-key-file names the file holding it)');
        values.redact = value as boolean;
        break;
      case 'redact-key-file':
        if (typeof value !== 'string' || value === '') bad(key, 'must be the path of the file holding the key for --redact');
        values.redactKeyFile = path.resolve(base, value as string);
        break;
      default:
        bad(key, `is not a setting (settings: ${KEYS.join(', ')})`);
    }
  }
  return { file: shown, values };
}

/**
 * Lay a config file's values under scan's options: a value given on the command line wins. The
 * file is `--config`'s, else the one found from `cwd`; none with `--no-config`. Returns the file
 * used, for the summary.
 */
export async function applyConfig(options: Record<string, unknown>, fromCommandLine: (key: string) => boolean, cwd: string): Promise<string | undefined> {
  const chosen = options.config;
  if (chosen === false) return undefined;
  const file = typeof chosen === 'string' ? path.resolve(cwd, chosen) : findConfig(cwd);
  if (file === undefined) return undefined;
  const { file: shown, values } = await loadConfig(file, cwd);
  for (const [key, value] of Object.entries(values)) {
    if (!fromCommandLine(key)) options[key] = value;
  }
  return shown;
}
