// JSON documents: an array of posting objects is split element by element as it streams in (never
// held whole); a single object is one posting, or a wrapper whose one array holds the postings.
import type { ReadItem } from '../../types.js';
import { formatBytes } from '../../format-bytes.js';
import { errorItem, overLimit, type FormatReader, type ReadContext } from '../records.js';
import { describeJsonType, objectToPosting } from './jsonl.js';

export const MAX_JSON_DEPTH = 64;

interface Element {
  text: string;
  index: number;
  line: number;
  depth: number;
}

/**
 * Split a top-level JSON array into element texts without parsing them: tracks strings, escapes and
 * depth only. Yields `{kind: 'object'}` instead when the document is not an array.
 */
async function* splitArray(
  text: AsyncIterable<string>,
  limit: number,
): AsyncGenerator<Element | { kind: 'notArray'; rest: string } | { kind: 'tooLarge' } | { kind: 'truncated'; index: number; line: number }> {
  let started = false;
  let inString = false;
  let escaped = false;
  let depth = 0;
  let maxDepth = 0;
  let line = 1;
  let index = 0;
  let current: string[] = [];
  let currentSize = 0;
  let elementLine = 1;
  let elementStart = -1;
  let pendingNotArray: string[] | undefined;
  let notArraySize = 0;
  for await (const chunk of text) {
    if (pendingNotArray) {
      notArraySize += chunk.length;
      // A single document is parsed whole, so it is refused as soon as it passes the limit, unread.
      if (notArraySize > limit) {
        yield { kind: 'tooLarge' };
        return;
      }
      pendingNotArray.push(chunk);
      continue;
    }
    let i = 0;
    if (!started) {
      const firstNonSpace = chunk.search(/\S/);
      if (firstNonSpace < 0) continue;
      const start = chunk.charCodeAt(firstNonSpace) === 0xfeff ? chunk.slice(firstNonSpace + 1).search(/\S/) + firstNonSpace + 1 : firstNonSpace;
      if (chunk[start] !== '[') {
        pendingNotArray = [chunk];
        notArraySize = chunk.length;
        continue;
      }
      started = true;
      depth = 1;
      i = start + 1;
    }
    elementStart = depth > 1 || currentSize > 0 ? 0 : -1;
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) inString = false;
        continue;
      }
      if (c === 34) {
        inString = true;
        if (elementStart < 0 && depth === 1) {
          elementStart = i;
          elementLine = line;
        }
      } else if (c === 91 || c === 123) {
        if (elementStart < 0 && depth === 1) {
          elementStart = i;
          elementLine = line;
        }
        depth++;
        if (depth > maxDepth) maxDepth = depth;
      } else if (c === 93 || c === 125) {
        depth--;
        if (depth === 0) {
          if (elementStart >= 0 || currentSize > 0) {
            current.push(chunk.slice(Math.max(elementStart, 0), i));
            yield { text: current.join(''), index: ++index, line: elementLine, depth: maxDepth - 1 };
          }
          return;
        }
      } else if (c === 44 && depth === 1) {
        if (elementStart >= 0 || currentSize > 0) {
          current.push(chunk.slice(Math.max(elementStart, 0), i));
          yield { text: current.join(''), index: ++index, line: elementLine, depth: maxDepth - 1 };
        }
        current = [];
        currentSize = 0;
        elementStart = -1;
        maxDepth = 1;
      } else if (elementStart < 0 && depth === 1 && c > 32) {
        elementStart = i;
        elementLine = line;
      }
    }
    if (elementStart >= 0) {
      const piece = chunk.slice(elementStart);
      currentSize += piece.length;
      if (currentSize > limit) {
        yield { kind: 'truncated', index: index + 1, line: elementLine };
        return;
      }
      current.push(piece);
    }
  }
  if (pendingNotArray) {
    yield { kind: 'notArray', rest: pendingNotArray.join('') };
    return;
  }
  if (started) yield { kind: 'truncated', index: index + 1, line: elementLine };
}

function* documentItems(value: unknown, context: ReadContext): Generator<ReadItem> {
  const file = context.file;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    yield errorItem(file, { file }, 'NOT_AN_OBJECT', `${file} holds ${describeJsonType(value)}; expected an array of posting objects or one posting object`);
    return;
  }
  // A wrapper such as {"jobs": [...]}: one key whose value is a list of objects, nothing else textual.
  const entries = Object.entries(value);
  const lists = entries.filter(([, v]) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x)));
  const texts = entries.filter(([, v]) => typeof v === 'string');
  if (lists.length === 1 && texts.length === 0) {
    const [key, list] = lists[0]!;
    for (const [i, item] of (list as Record<string, unknown>[]).entries()) {
      yield objectToPosting(item, context, { file, index: i + 1 }, `${file}#${i + 1}`);
    }
    if (key === '') return;
    return;
  }
  yield objectToPosting(value as Record<string, unknown>, context, { file }, file);
}

export const readJson: FormatReader = async function* (text, context): AsyncGenerator<ReadItem> {
  const file = context.file;
  let count = 0;
  for await (const part of splitArray(text, context.maxRecord)) {
    if ('kind' in part) {
      if (part.kind === 'truncated') {
        yield errorItem(
          `${file}#${part.index}`,
          { file, index: part.index, line: part.line },
          'JSON_SYNTAX',
          `element ${part.index} (from line ${part.line}) is not closed before the end of the file, or is longer than the ${formatBytes(context.maxRecord)} record limit (raise it with --max-record)`,
        );
        return;
      }
      if (part.kind === 'tooLarge' || part.rest.length > context.maxRecord) {
        yield errorItem(
          file,
          { file },
          'RECORD_TOO_LARGE',
          `${file}: ${overLimit('a single JSON document (not an array)', context.maxRecord)}; a list of postings is best written as a JSON array or as JSONL`,
        );
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(part.rest);
      } catch (error) {
        yield errorItem(file, { file }, 'JSON_SYNTAX', `${file} is not valid JSON: ${(error as Error).message}`);
        return;
      }
      yield* documentItems(value, context);
      return;
    }
    count++;
    const source = { file, index: part.index, line: part.line };
    const id = `${file}#${part.index}`;
    if (part.depth > MAX_JSON_DEPTH) {
      yield errorItem(
        id,
        source,
        'JSON_TOO_DEEP',
        `element ${part.index} (line ${part.line}) is nested ${part.depth} levels deep; the limit is ${MAX_JSON_DEPTH}`,
      );
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(part.text);
    } catch (error) {
      yield errorItem(id, source, 'JSON_SYNTAX', `element ${part.index} (line ${part.line}) is not valid JSON: ${(error as Error).message}`);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield errorItem(id, source, 'NOT_AN_OBJECT', `element ${part.index} (line ${part.line}) is ${describeJsonType(value)}, not a posting object`);
      continue;
    }
    yield objectToPosting(value as Record<string, unknown>, context, source, id);
  }
  if (count === 0) yield errorItem(file, { file }, 'EMPTY_FILE', `${file} holds no postings (an empty array or an empty file)`);
};
