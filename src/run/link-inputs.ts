// `link`'s inputs as verdict files: each read twice by src/link, so standard input is kept in a
// file, an input named twice is read once, and the order they are given in changes nothing (sorted
// by name). Verdict files are read as they are; any other input is scored here, with its text, into
// a verdict file of link's own in `temp`, so both passes read verdicts alike.
import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decodeText } from '../input/decode.js';
import { readInputs, type InputUnit, type ReadOptions } from '../input/index.js';
import { jsonLine } from '../report/writers.js';
import { Sink } from './output-files.js';
import type { RunScanner } from './scanner.js';

/** A verdict file as src/link reads it (its LineSource): `open` gives its text in chunks each time. */
export interface VerdictSource {
  name: string;
  open(): AsyncIterable<string>;
}

/** A display name's order: link reads its inputs sorted, so the order they are given in changes nothing. */
const byName = (a: InputUnit, b: InputUnit): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The inputs once each, sorted, standard input spooled to a file in `temp`; an input given twice is a warning. */
export async function distinctInputs(planned: readonly InputUnit[], stdin: Readable, temp: string, warn: (message: string) => void): Promise<InputUnit[]> {
  const units: InputUnit[] = [];
  const seen = new Set<string>();
  for (const unit of planned) {
    if (unit.kind === 'stdin') {
      if (seen.has('-')) continue;
      seen.add('-');
      const spooled = path.join(temp, 'stdin');
      await pipeline(stdin, createWriteStream(spooled));
      units.push({ kind: 'file', name: '-', path: spooled });
      continue;
    }
    const identity = unit.path !== undefined ? path.resolve(unit.path) : unit.name;
    if (seen.has(identity)) {
      warn(`${unit.name} is given twice: read once`);
      continue;
    }
    seen.add(identity);
    units.push(unit);
  }
  return units.sort(byName);
}

export interface VerdictSources {
  sources: VerdictSource[];
  /** Inputs read as verdict files, inputs scored here, and the postings scored here. */
  inputs: { verdictFiles: number; scoredFiles: number; scoredPostings: number };
}

/**
 * Each input as a verdict source: a file `holdsVerdicts` says is one as it is, any other scored by
 * the scanner `open` gives (opened at the first such input, closed at the end) into `temp`.
 */
export async function verdictSources(
  units: readonly InputUnit[],
  o: {
    temp: string;
    read: ReadOptions;
    holdsVerdicts: (chunks: AsyncIterable<string>, name: string) => Promise<boolean>;
    open: () => Promise<RunScanner>;
  },
): Promise<VerdictSources> {
  const textOf = (file: string, highWaterMark: number) =>
    decodeText(createReadStream(file, { highWaterMark }), { invalidUtf8: false, nul: false }, o.read.encoding);
  const result: VerdictSources = { sources: [], inputs: { verdictFiles: 0, scoredFiles: 0, scoredPostings: 0 } };
  let scanner: RunScanner | undefined;
  try {
    for (const unit of units) {
      if (unit.kind === 'file' && unit.path !== undefined && (await o.holdsVerdicts(textOf(unit.path, 64 * 1024), unit.name))) {
        result.inputs.verdictFiles++;
        result.sources.push({ name: unit.name, open: () => textOf(unit.path!, 256 * 1024) });
        continue;
      }
      scanner ??= await o.open();
      const file = path.join(o.temp, `scored-${result.sources.length}.jsonl`);
      result.inputs.scoredPostings += await scoreToFile(scanner, readInputs([unit], o.read), file);
      result.inputs.scoredFiles++;
      result.sources.push({ name: unit.name, open: () => textOf(file, 256 * 1024) });
    }
  } finally {
    await scanner?.close();
  }
  return result;
}

/** Score `items` into a JSONL verdict file; the postings scored (error records are written, not counted). */
async function scoreToFile(scanner: RunScanner, items: ReturnType<typeof readInputs>, file: string): Promise<number> {
  const stream = createWriteStream(file);
  const sink = new Sink(stream);
  let scored = 0;
  for await (const { record } of scanner.scoreItems(items)) {
    await sink.write(`${jsonLine(record)}\n`);
    if (!('error' in record)) scored++;
  }
  await sink.flush();
  stream.end();
  await new Promise<void>((resolve, reject) => stream.on('close', resolve).on('error', reject));
  return scored;
}
