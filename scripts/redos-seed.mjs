#!/usr/bin/env node
// npm run redos:seed: decide the ReDoS verdict of every regex part of the shipped rules afresh
// (no cache, no seed) and write the decided ones to rules/redos-verdicts.json, which `rules lint`
// reads before its cache: a fresh install (and CI, on a clean checkout) then checks only the parts
// a rule edit made new, instead of spending minutes deciding what the same recheck decided here.
// Run it after editing rule regexes; a stale seed only costs time, never a verdict (a part not in
// it is checked, and a recheck of another version ignores it). A part the checker times out on
// here (a busy machine) keeps the verdict the last seed had for that same part under the same
// recheck, as a lint with the seed would; a part with no earlier verdict stays undecided, and the
// seed exits 1.
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
  const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
  let previous;
  try {
    previous = JSON.parse(readFileSync(DEFAULT_REDOS_SEED, 'utf8'));
  } catch {
    previous = undefined;
  }
  const undecided = [];
  let kept = 0;
  for (const f of report.findings.filter((finding) => finding.code === 'REDOS_UNKNOWN')) {
    // The finding names the part it could not decide: "... (in the part `<part>`) (<reason>)".
    const part = /in the part `([\s\S]*)`\) \(/.exec(f.message)?.[1];
    const earlier = part !== undefined && previous?.recheck === cache.recheck ? previous.verdicts?.[part] : undefined;
    if (earlier !== undefined && !(part in cache.verdicts)) {
      cache.verdicts[part] = earlier;
      kept++;
      console.error(`redos:seed: ${f.file}:${f.line} ${f.rule}: undecided this run (${f.message.replace(/^.*\) \(/s, '(')}); kept the last seed's verdict`);
    } else if (earlier === undefined) {
      undecided.push(f);
      console.error(`redos:seed: ${f.file}:${f.line} ${f.rule}: ${f.message}`);
    }
  }
  // One verdict a line, sorted (the cache writes them sorted): a rule edit shows as the lines it changed.
  const lines = Object.keys(cache.verdicts)
    .sort()
    .map((part) => `${JSON.stringify(part)}: ${JSON.stringify(cache.verdicts[part])}`);
  writeFileSync(DEFAULT_REDOS_SEED, `{"recheck": ${JSON.stringify(cache.recheck)}, "verdicts": {\n${lines.join(',\n')}\n}}\n`);
  console.log(
    `redos:seed: ${Object.keys(cache.verdicts).length} decided verdicts (recheck ${cache.recheck}; ${kept} kept from the last seed) -> ${path.relative(process.cwd(), DEFAULT_REDOS_SEED)}`,
  );
  if (undecided.length > 0) process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
