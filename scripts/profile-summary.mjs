#!/usr/bin/env node
// Sum a V8 .cpuprofile (from `node --cpu-prof bin/lurescan.js scan ... --jobs 0`) by function and by
// file: self time (where the samples landed) and inclusive time (self plus callees, a recursive
// function counted once). What the speed rounds of issue 17 read to see where a scan's CPU goes.
//
//   node scripts/profile-summary.mjs <file.cpuprofile> [--top 40]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = `${path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')}/`;
const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 40;
if (args.length !== 1 || !Number.isInteger(top) || top < 1) {
  process.stderr.write('usage: node scripts/profile-summary.mjs <file.cpuprofile> [--top 40]\n');
  process.exit(2);
}

const profile = JSON.parse(readFileSync(args[0], 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** Microseconds of samples per node. */
const self = new Map();
for (let k = 0; k < profile.samples.length; k++) {
  const id = profile.samples[k];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[k] ?? 0));
}

const fileOf = (frame) => frame.url.replace(/^file:\/\//, '').replace(repoRoot, '') || '(native)';
const keyOf = (frame) => `${frame.functionName || '(anonymous)'} ${fileOf(frame)}:${frame.lineNumber + 1}`;

const byFunction = new Map();
const byFile = new Map();
let total = 0;
for (const [id, time] of self) {
  const { callFrame } = byId.get(id);
  total += time;
  // A regex's samples are named by its source, which can run to kilobytes.
  const key = keyOf(callFrame).slice(0, 160);
  byFunction.set(key, (byFunction.get(key) ?? 0) + time);
  const file = callFrame.url === '' ? callFrame.functionName.slice(0, 60) : fileOf(callFrame);
  byFile.set(file, (byFile.get(file) ?? 0) + time);
}

/** Inclusive time per node, children first (iteratively: the tree can be deep). */
const inclusive = new Map();
const order = [];
const stack = [profile.nodes[0].id];
while (stack.length > 0) {
  const id = stack.pop();
  order.push(id);
  for (const child of byId.get(id).children ?? []) stack.push(child);
}
for (let k = order.length - 1; k >= 0; k--) {
  const node = byId.get(order[k]);
  let time = self.get(node.id) ?? 0;
  for (const child of node.children ?? []) time += inclusive.get(child);
  inclusive.set(node.id, time);
}
const byFunctionInclusive = new Map();
for (const node of profile.nodes) {
  const key = keyOf(node.callFrame);
  let above = parent.get(node.id);
  let recursive = false;
  while (above !== undefined && !recursive) {
    recursive = keyOf(byId.get(above).callFrame) === key;
    above = parent.get(above);
  }
  if (!recursive) byFunctionInclusive.set(key.slice(0, 160), (byFunctionInclusive.get(key.slice(0, 160)) ?? 0) + inclusive.get(node.id));
}

function print(title, times) {
  process.stdout.write(`== ${title} (of ${(total / 1e6).toFixed(2)} s sampled)\n`);
  for (const [key, time] of [...times].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(`${(time / 1e6).toFixed(2).padStart(8)} s ${((100 * time) / total).toFixed(1).padStart(5)}%  ${key}\n`);
}
print('self time by function', byFunction);
print('self time by file', byFile);
print('inclusive time by function', byFunctionInclusive);
