// Every relative link and `#anchor` in the user manual (README.md) and the documents beside it leads
// somewhere: the file exists, and a heading of that file makes the anchor, as GitHub slugs it. Parts
// of the README move to docs/ (issue 12, item 6); a link left pointing at the old place fails here.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.join(import.meta.dirname, '..');

/** GitHub's heading anchor (github-slugger): lower case, punctuation and symbols dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let fence: string | undefined;
  text.split('\n').forEach((line, i) => {
    const m = /^\s*(```+|~~~+)/.exec(line);
    if (m) {
      if (fence === undefined) fence = m[1]?.[0];
      else if (m[1]?.[0] === fence) fence = undefined;
      return;
    }
    if (fence === undefined) out.push([i + 1, line]);
  });
  return out;
}

/** The anchors a Markdown file's headings make, numbered as GitHub numbers repeats (`x`, `x-1`, ...). */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, line] of proseLines(text)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    // A link in a heading counts by its text.
    const base = slug((m[1] ?? '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1] ?? '');
  return out;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

/** Inline links `[text](target)` and reference definitions `[x]: target`, outside code. */
function links(file: string, text: string): Link[] {
  const out: Link[] = [];
  for (const [line, raw] of proseLines(text)) {
    const prose = raw.replace(/`[^`]*`/g, '``');
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ file, line, target: m[1] ?? '' });
    const def = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(prose);
    if (def) out.push({ file, line, target: def[1] ?? '' });
  }
  return out;
}

/** What is wrong with a link, or undefined when it resolves. External links are not checked (no network). */
function problem(link: Link, readText: (file: string) => string): string | undefined {
  const { target } = link;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined;
  const hash = target.indexOf('#');
  const filePart = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const resolved = filePart === '' ? link.file : path.resolve(path.dirname(link.file), decodeURIComponent(filePart));
  if (!existsSync(resolved)) return `no such file: ${path.relative(root, resolved)}`;
  if (anchor === undefined) return undefined;
  if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) return `an anchor into a file that is not Markdown: ${target}`;
  if (!anchors(readText(resolved)).has(anchor)) return `no heading in ${path.relative(root, resolved)} makes #${anchor}`;
  return undefined;
}

const documents = [
  'README.md',
  'CHANGELOG.md',
  'CONTRIBUTING.md',
  'ARCHITECTURE.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
].filter((name) => existsSync(path.join(root, name)));

describe('links in the documentation', () => {
  const cache = new Map<string, string>();
  const readText = (file: string): string => {
    let text = cache.get(file);
    if (text === undefined) {
      text = readFileSync(file, 'utf8');
      cache.set(file, text);
    }
    return text;
  };

  it('slugs headings as GitHub does', () => {
    expect(slug('Learned points: `lurescan rescore <labelled...>`')).toBe('learned-points-lurescan-rescore-labelled');
    expect(slug('Why two threads are not 1.8x one here')).toBe('why-two-threads-are-not-18x-one-here');
    expect(slug("Library: `import { createScanner } from 'lurescan'`")).toBe('library-import--createscanner--from-lurescan');
    expect([...anchors('# A\n```sh\n# not a heading\n```\n## A\n### B & C\n')]).toEqual(['a', 'a-1', 'b--c']);
  });

  it('finds a broken file, a broken anchor and a link in code not at all', () => {
    const readme = path.join(root, 'README.md');
    const found = links(readme, '[a](docs/nowhere.md) [b](#no-such-heading) `[c](gone.md)`\n```\n[d](gone.md)\n```\n[e]: docs/performance.md#how-to-measure\n');
    expect(found.map((l) => l.target)).toEqual(['docs/nowhere.md', '#no-such-heading', 'docs/performance.md#how-to-measure']);
    expect(found.map((l) => problem(l, readText))).toEqual(['no such file: docs/nowhere.md', 'no heading in README.md makes #no-such-heading', undefined]);
  });

  it.each(documents)('every relative link and anchor in %s resolves', (name) => {
    const file = path.join(root, name);
    const found = links(file, readText(file));
    const broken = found.flatMap((link) => {
      const why = problem(link, readText);
      return why === undefined ? [] : [`${name}:${link.line}: ${link.target}: ${why}`];
    });
    expect(broken).toEqual([]);
  });
});
