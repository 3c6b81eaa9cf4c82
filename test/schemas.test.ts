// The JSON Schemas of schemas/ (verdict records, rule files) hold for what lurescan writes and
// reads, stay in step with the code, and refuse what lurescan refuses. SARIF output is checked
// against the SARIF 2.1.0 schema (as shipped with Microsoft's jest-sarif).
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, SHARED_CATEGORIES } from '../src/types.js';
import { runMain as run, tempDir, writeInput, jsonLines } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const load = (file: string): object => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as object;

// ajv-draft-04 is CommonJS with an `export default` in its types: under NodeNext the class is its `default`.
const AjvDraft04 = (AjvDraft04Module as unknown as { default: typeof Ajv }).default;

function validator(schema: object, draft04 = false): (value: unknown) => string[] {
  // The SARIF schema (draft-04) has a pattern that is valid JavaScript only without the u flag.
  const ajv = draft04 ? new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }) : new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`));
}

describe('schemas/verdict.schema.json', () => {
  const check = validator(load('schemas/verdict.schema.json'));

  it('holds for every record a scan writes: verdicts with --explain and --include-text, warnings, error records', async () => {
    const dir = tempDir('lurescan-schema-');
    const bad = writeInput(dir, 'bad.csv', 'title,description\nTypist,"Typing job in Bavet, free visa",extra\nNurse,Ward nurse\nDriver\n');
    const { stdout } = await run(['scan', 'fixtures/postings', bad, '-j', '0', '--format', 'jsonl', '--explain', '--include-text']);
    const records = jsonLines<{ error?: unknown; warnings?: unknown; denied?: unknown }>(stdout);
    expect(records.length).toBeGreaterThan(300);
    expect(records.some((r) => r.error)).toBe(true);
    expect(records.some((r) => r.warnings)).toBe(true);
    expect(records.some((r) => r.denied)).toBe(true);
    const problems = records.flatMap((record, k) => check(record).map((p) => `record ${k + 1}: ${p}`));
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('refuses a record with a field it does not know or a label that is none', () => {
    const verdict = {
      id: 'a',
      source: { file: 'x.csv', row: 2 },
      posting: {},
      lang: 'en',
      flagged: true,
      labels: ['forced-criminality'],
      scores: { 'forced-criminality': 9, 'employment-fraud': 0 },
      hits: [],
    };
    expect(check(verdict)).toEqual([]);
    expect(check({ ...verdict, labels: ['scam'] }).length).toBeGreaterThan(0);
    expect(check({ ...verdict, extra: 1 }).length).toBeGreaterThan(0);
  });
});

describe('schemas/rules.schema.json', () => {
  const schema = load('schemas/rules.schema.json') as { definitions: { rule: { properties: { category: { enum: string[] } } } } };
  const check = validator(schema);

  it('holds for every shipped rule file', () => {
    const files = readdirSync(path.join(root, 'rules'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
      .map((e) => path.join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) expect(check(YAML.parse(readFileSync(file, 'utf8'))), path.relative(root, file)).toEqual([]);
  });

  it('names the categories the code has, and refuses what rules lint refuses', () => {
    const categories = [...CATEGORIES['forced-criminality'], ...CATEGORIES['employment-fraud'], ...SHARED_CATEGORIES];
    expect([...schema.definitions.rule.properties.category.enum].sort()).toEqual([...new Set(categories)].sort());
    const rule = { id: 'FC-TEST-ONE', title: 'A test', label: 'forced-criminality', category: 'destination', points: 2, any: [{ regex: 'bavet' }] };
    expect(check({ rules: [rule] })).toEqual([]);
    expect(check({ rules: [{ ...rule, id: 'fc-test' }] }).length).toBeGreaterThan(0);
    expect(check({ rules: [{ ...rule, categry: 'destination' }] }).length).toBeGreaterThan(0);
    expect(check({ rules: [{ ...rule, any: [{ regex: 'a', keywords: ['b'] }] }] }).length).toBeGreaterThan(0);
    expect(check({ rule: [rule] }).length).toBeGreaterThan(0);
  });
});

describe('SARIF output', () => {
  it('is valid against the SARIF 2.1.0 schema, with findings and clean', async () => {
    const check = validator(load('node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), true);
    const dir = tempDir('lurescan-sarif-schema-');
    writeInput(dir, 'bad.yaml', 'rules:\n  - id: fc-bad\n    title: x\n');
    // Clean: one shipped rule file (the document has the same parts for one file as for all of them,
    // the whole catalogue included; a lint of every shipped rule costs seconds).
    const clean = tempDir('lurescan-sarif-clean-');
    copyFileSync(path.join(root, 'rules/forced-criminality/cover-job.yaml'), path.join(clean, 'cover-job.yaml'));
    for (const rules of [dir, clean]) {
      const { stdout } = await run(['rules', 'lint', rules, '--format', 'sarif']);
      const sarif = JSON.parse(stdout);
      expect(sarif.runs[0].results.length > 0).toBe(rules === dir);
      expect(check(sarif)).toEqual([]);
    }
  }, 60_000);
});
