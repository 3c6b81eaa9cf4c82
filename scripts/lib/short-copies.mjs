// Short copies of ordinary job ads: the title, company and place, and only the first words of the
// description, for `npm run eval` to measure how short ordinary ads fare. Full job-board ads are
// flagged at 0%; cut short, English ones were flagged at 2% to 3% (the development parts; a sample
// of the training parts gave 9.8% at 6 words), every one by the model alone: the ordinary ads it
// learned from are long, many frauds it learned from are short. Training on one short copy of every
// legitimate training ad (10,799) took that to 0%, but corpus/dev's lures fell from 86.2% to 78.7%
// and EMSCAD's F1 under its target, likely through the model's `below` guard calibrated for
// the model before: not shipped; docs/accuracy-history.md has the figures.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './shared-data.mjs';

const { planInputs, readInputs } = await import(pathToFileURL(path.join(root, 'dist/input/index.js')).href);
const { truthOf } = await import(pathToFileURL(path.join(root, 'dist/contracts/labels.js')).href);

/** Description lengths a short copy is cut to: words where words are spaced, else characters. */
export const CUTS = [6, 12, 25];
const CHARS_PER_WORD = 2.5;

/** The description cut to `words` words (or, in unspaced scripts, as many characters as that many words hold); undefined when it is not longer. */
export function cutDescription(text, words) {
  const flat = text.replace(/\s+/g, ' ').trim();
  const tokens = flat.split(' ');
  // Unspaced scripts (Chinese, Japanese, Thai, Lao, Khmer, Burmese) write few spaces: cut by characters.
  if (tokens.length * 8 < flat.length) {
    const chars = Math.round(words * CHARS_PER_WORD);
    return flat.length > chars * 1.5 ? flat.slice(0, chars) : undefined;
  }
  return tokens.length > words * 1.5 ? tokens.slice(0, words).join(' ') : undefined;
}

function bucket(id) {
  return createHash('sha256').update(id).digest().readUInt32BE(0);
}

/**
 * Write short copies of the legitimate postings in `inputs` to `file` (JSONL) and return how many.
 * `cuts`: one cut a posting, chosen by its id (deterministic), or every cut with `all`.
 */
export async function writeShortCopies(inputs, file, { all = false, tag = 'short' } = {}) {
  mkdirSync(path.dirname(file), { recursive: true });
  const lines = [];
  for await (const item of readInputs(await planInputs(inputs), {})) {
    if (item.kind !== 'posting') continue;
    const { posting } = item;
    if (truthOf(posting.label ?? 'legit') !== 'legit') continue;
    const description = posting.fields.description ?? '';
    const cuts = all ? CUTS : [CUTS[bucket(posting.id) % CUTS.length]];
    for (const words of cuts) {
      const cut = cutDescription(description, words);
      if (cut === undefined) continue;
      const fields = {};
      for (const name of ['title', 'company', 'location']) if (posting.fields[name]) fields[name] = posting.fields[name];
      lines.push(JSON.stringify({ id: `${posting.id}~${tag}${words}`, label: 'legit', ...fields, description: cut, meta: { cut: `w${words}` } }));
    }
  }
  writeFileSync(file, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  return lines.length;
}
