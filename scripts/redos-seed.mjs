#!/usr/bin/env node
// npm run redos:seed: decide the ReDoS verdict of every regex part of the shipped rules afresh
// (no cache, no seed) and write the decided ones to rules/redos-verdicts.json, which `rules lint`
// reads before its cache: a fresh install (and CI, on a clean checkout) then checks only the parts
// a rule edit made new, instead of spending minutes deciding what the same recheck decided here.
// Run it after editing rule regexes; a stale seed only costs time, never a verdict (a part not in
// it is checked, and a recheck of another version ignores it). Exits 1 if a part stays undecided.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readRuleFiles } from '../dist/input/rule-files.js';
import { DEFAULT_RULES_DIR } from '../dist/paths.js';
import { lintRuleFiles } from '../dist/toolkit/lint.js';
import { DEFAULT_REDOS_SEED } from '../dist/toolkit/redos.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'lurescan-redos-seed-'));
try {
  const cacheFile = path.join(scratch, 'redos.json');
  const report = await lintRuleFiles(await readRuleFiles(DEFAULT_RULES_DIR), { redos: { cacheFile } });
  const undecided = report.findings.filter((f) => f.code === 'REDOS_UNKNOWN');
  for (const f of undecided) console.error(`redos:seed: ${f.file}:${f.line} ${f.rule}: ${f.message}`);
  const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
  // One verdict a line, sorted (the cache writes them sorted): a rule edit shows as the lines it changed.
  const lines = Object.entries(cache.verdicts).map(([part, verdict]) => `${JSON.stringify(part)}: ${JSON.stringify(verdict)}`);
  writeFileSync(DEFAULT_REDOS_SEED, `{"recheck": ${JSON.stringify(cache.recheck)}, "verdicts": {\n${lines.join(',\n')}\n}}\n`);
  console.log(
    `redos:seed: ${Object.keys(cache.verdicts).length} decided verdicts (recheck ${cache.recheck}) -> ${path.relative(process.cwd(), DEFAULT_REDOS_SEED)}`,
  );
  if (undecided.length > 0) process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
