#!/usr/bin/env node
// What the contact extractor finds in real ads: counts per kind and per set, and a sample to check by
// hand (issue 13). Reads ../shared/data/jobboards/* (ordinary ads) and the EMSCAD set; prints to the
// terminal only, nothing is written into the repository (the data's rows must not be copied in).
//
//   npm run build && node scripts/contacts-survey.mjs [--sample 50] [--seed 1] [--kind phone] [--sets jobboards,emscad]
//
// The sample is drawn at random (seeded) from every contact found and printed with 50 characters of
// context on each side, for a reader to mark right or wrong.
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const shared = path.join(root, '..', 'shared', 'data');
const dist = (file) => pathToFileURL(path.join(root, 'dist', file)).href;
const { planInputs, readInputs } = await import(dist('input/index.js'));
const { extractContacts } = await import(dist('contacts/index.js'));
const { postingLanguage } = await import(dist('lang/detect.js'));

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const sampleSize = Number(option('--sample', '50'));
let seed = Number(option('--seed', '1'));
const onlyKind = option('--kind', undefined);
const sets = option('--sets', 'jobboards,emscad').split(',');

if (!existsSync(shared)) {
  process.stderr.write(`contacts-survey: ${shared} is not there\n`);
  process.exit(2);
}
const files = [];
if (sets.includes('jobboards')) {
  for (const dir of readdirSync(path.join(shared, 'jobboards'), { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(path.join(shared, 'jobboards', dir.name)))
      if (file.endsWith('.csv')) files.push(path.join(shared, 'jobboards', dir.name, file));
  }
}
if (sets.includes('emscad')) {
  for (const dir of readdirSync(shared)) {
    if (!dir.startsWith('emscad')) continue;
    for (const file of readdirSync(path.join(shared, dir))) if (file.endsWith('.csv')) files.push(path.join(shared, dir, file));
  }
}
files.sort();

const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

const totals = {};
const all = [];
let postings = 0;
let withContacts = 0;
const started = process.hrtime.bigint();
let extractNs = 0n;
for (const file of files) {
  const set = path.relative(shared, file);
  const counts = {};
  let n = 0;
  for await (const item of readInputs(await planInputs([file]), { onWarning: () => {} })) {
    if (item.kind !== 'posting') continue;
    n++;
    const fields = item.posting.fields;
    const t0 = process.hrtime.bigint();
    const lang = postingLanguage(fields).lang;
    const contacts = extractContacts(fields, { lang, ...(fields.location ? { location: fields.location } : {}) });
    extractNs += process.hrtime.bigint() - t0;
    if (contacts.length > 0) withContacts++;
    for (const contact of contacts) {
      counts[contact.kind] = (counts[contact.kind] ?? 0) + 1;
      totals[contact.kind] = (totals[contact.kind] ?? 0) + 1;
      if (!onlyKind || contact.kind === onlyKind) all.push({ set, contact, text: fields[contact.field] });
    }
  }
  postings += n;
  process.stdout.write(
    `${set}: ${n} postings; ${
      Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'no contacts'
    }\n`,
  );
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  `\nall: ${postings} postings, ${withContacts} with contacts; ${Object.entries(totals)
    .map(([k, v]) => `${k} ${v}`)
    .join(
      ', ',
    )}\nextraction (with language detection): ${(Number(extractNs) / 1e6).toFixed(0)} ms, ${(Number(extractNs) / 1e3 / Math.max(1, postings)).toFixed(1)} µs a posting (run ${seconds.toFixed(1)} s)\n`,
);

const sample = [];
const pool = [...all];
while (sample.length < sampleSize && pool.length > 0) sample.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
process.stdout.write(`\nsample of ${sample.length}${onlyKind ? ` ${onlyKind}` : ''} contacts (context 50 characters each side):\n`);
sample.forEach(({ set, contact, text }, k) => {
  const flat = (s) => s.replace(/\s+/g, ' ');
  const before = flat(text.slice(Math.max(0, contact.start - 50), contact.start));
  const after = flat(text.slice(contact.end, contact.end + 50));
  process.stdout.write(
    `${String(k + 1).padStart(2)}. [${set.split('/')[0]}] ${contact.key}${contact.app ? ` (${contact.app})` : ''}${contact.obfuscation ? ` {${contact.obfuscation.join(',')}}` : ''}\n    …${before}»${flat(contact.match)}«${after}…\n`,
  );
});
