// A small scanner over JavaScript regex sources (u flag) for the lint: top-level alternatives,
// look-behind groups, the literal characters a pattern expects to meet in the text, and word
// boundaries that cannot hold (through regexpp's syntax tree).
import { RegExpParser, visitRegExpAST, type AST } from '@eslint-community/regexpp';

/** One piece of a regex source: an escape, a character class, a group opening/closing, or one character. */
interface Token {
  kind: 'escape' | 'class' | 'open' | 'close' | 'alt' | 'quantifier' | 'char';
  text: string;
  start: number;
  /** For `open`: the group prefix, e.g. `(?:`, `(?<!`, `(?<name>`, `(`. */
  prefix?: string;
}

const QUANTIFIER = /^\{\d+(?:,\d*)?\}/;
const LOOKAROUND = new Set(['(?=', '(?!', '(?<=', '(?<!']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const start = i;
    if (ch === '\\') {
      // \p{...}, \P{...}, \u{...}, \k<name> carry a bracketed argument.
      const next = source[i + 1] ?? '';
      let end = i + 2;
      if ((next === 'p' || next === 'P' || next === 'u') && source[end] === '{') end = source.indexOf('}', end) + 1 || source.length;
      else if (next === 'u') end = i + 6;
      else if (next === 'x') end = i + 4;
      else if (next === 'k' && source[end] === '<') end = source.indexOf('>', end) + 1 || source.length;
      tokens.push({ kind: 'escape', text: source.slice(i, end), start });
      i = end;
    } else if (ch === '[') {
      let j = i + 1;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      tokens.push({ kind: 'class', text: source.slice(i, j + 1), start });
      i = j + 1;
    } else if (ch === '(') {
      const prefix = /^\((?:\?(?:[:=!]|<[=!]|<[A-Za-z_$][\w$]*>))?/.exec(source.slice(i))![0];
      tokens.push({ kind: 'open', text: prefix, start, prefix });
      i += prefix.length;
    } else if (ch === ')') {
      tokens.push({ kind: 'close', text: ch, start });
      i++;
    } else if (ch === '|') {
      tokens.push({ kind: 'alt', text: ch, start });
      i++;
    } else if (ch === '*' || ch === '+' || ch === '?') {
      tokens.push({ kind: 'quantifier', text: ch, start });
      i++;
    } else if (ch === '{' && QUANTIFIER.test(source.slice(i))) {
      const text = QUANTIFIER.exec(source.slice(i))![0];
      tokens.push({ kind: 'quantifier', text, start });
      i += text.length;
    } else {
      const cp = source.codePointAt(i)!;
      const text = String.fromCodePoint(cp);
      tokens.push({ kind: 'char', text, start });
      i += text.length;
    }
  }
  return tokens;
}

/**
 * The alternatives of a regex at its top level (`a|b` -> [a, b]). A backtracking search tries each
 * in turn, so the whole is as safe as its worst alternative: checking them one by one is sound and
 * keeps each check small.
 */
export function topLevelAlternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (const token of tokenize(source)) {
    if (token.kind === 'open') depth++;
    else if (token.kind === 'close') depth--;
    else if (token.kind === 'alt' && depth === 0) {
      parts.push(source.slice(from, token.start));
      from = token.start + 1;
    }
  }
  parts.push(source.slice(from));
  return parts;
}

/**
 * The source with its look-around groups removed, and their bodies. The ReDoS checker's exact
 * (automaton) analysis does not model look-arounds; removing an assertion only adds paths for the
 * matcher to explore, so if the rest is safe, and each body is safe on its own, so is the whole.
 */
export function withoutLookarounds(source: string): { rest: string; bodies: string[] } {
  const tokens = tokenize(source);
  const bodies: string[] = [];
  let rest = '';
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== 'open' || !LOOKAROUND.has(token.prefix!)) continue;
    let depth = 0;
    let j = i;
    for (; j < tokens.length; j++) {
      if (tokens[j]!.kind === 'open') depth++;
      else if (tokens[j]!.kind === 'close' && --depth === 0) break;
    }
    const close = tokens[j]?.start ?? source.length;
    rest += source.slice(at, token.start);
    bodies.push(source.slice(token.start + token.text.length, close));
    at = close + 1;
    i = j;
  }
  rest += source.slice(at);
  return { rest, bodies };
}

/**
 * Runs of literal characters (outside escapes, groups' syntax and quantifiers), and each character
 * named in a character class: what the pattern expects to find written in the normalised text.
 */
export function literalRuns(source: string): string[] {
  const runs: string[] = [];
  let run = '';
  const flush = (): void => {
    if (run !== '') runs.push(run);
    run = '';
  };
  for (const token of tokenize(source)) {
    if (token.kind === 'char' && token.text !== '.' && token.text !== '^' && token.text !== '$') {
      run += token.text;
      continue;
    }
    flush();
    if (token.kind === 'class') {
      // Class members, without escapes and range dashes: each must be a character the text can hold.
      const body = token.text.slice(token.text.startsWith('[^') ? 2 : 1, -1).replace(/\\(?:[pPu]\{[^}]*\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/gu, ' ');
      // One run per member: a class is a set of characters, not a word, so none folds its neighbour.
      for (const member of body.replace(/-/g, ' ').replace(/\s+/g, '')) runs.push(member);
    }
  }
  flush();
  return runs;
}

const AST_PARSER = new RegExpParser({ ecmaVersion: 2024 });
/** A letter, mark or digit: what a word is made of, in any script. */
const NON_ASCII_WORD = /^[\p{L}\p{M}\p{N}]$/u;

/** The characters an element can begin (`first`) or end (`last`) with, as far as a literal says; [] when open. */
function edgeCharacters(node: AST.Node, side: 'first' | 'last'): string[] {
  switch (node.type) {
    case 'Character':
      return [String.fromCodePoint(node.value)];
    case 'CharacterClass':
      if (node.negate) return [];
      return node.elements.flatMap((e) =>
        e.type === 'Character' ? [String.fromCodePoint(e.value)] : e.type === 'CharacterClassRange' ? [String.fromCodePoint(e.min.value)] : [],
      );
    case 'Quantifier':
      return node.min > 0 ? edgeCharacters(node.element, side) : [];
    case 'Group':
    case 'CapturingGroup':
      return node.alternatives.flatMap((alt) => {
        const el = side === 'first' ? alt.elements[0] : alt.elements[alt.elements.length - 1];
        return el === undefined ? [] : edgeCharacters(el, side);
      });
    default:
      return [];
  }
}

/**
 * A `\b` written beside a letter outside ASCII ("\bcafé\b", "\bкарта"): JavaScript's word boundary
 * knows only [A-Za-z0-9_], even with the u flag, so it never holds between a space and "é" or
 * "к" and the alternative silently never matches there. Returns the first such letter, or undefined.
 */
export function boundaryBesideNonAscii(source: string): string | undefined {
  let pattern: AST.Pattern;
  try {
    pattern = AST_PARSER.parsePattern(source, 0, source.length, { unicode: true });
  } catch {
    return undefined;
  }
  let found: string | undefined;
  visitRegExpAST(pattern, {
    onAssertionEnter(node) {
      if (found !== undefined || node.kind !== 'word' || node.negate || node.parent.type !== 'Alternative') return;
      const elements = node.parent.elements;
      const at = elements.indexOf(node);
      const next = elements[at + 1];
      const prev = elements[at - 1];
      const edges = [...(next ? edgeCharacters(next, 'first') : []), ...(prev ? edgeCharacters(prev, 'last') : [])];
      found = edges.find((ch) => ch.codePointAt(0)! > 0x7f && NON_ASCII_WORD.test(ch));
    },
  });
  return found;
}
