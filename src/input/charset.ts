// Page bytes to text: the encoding from a byte-order mark, the Content-Type header, a <meta charset>
// or XML declaration, else UTF-8 when the bytes are valid UTF-8 and the likeliest legacy encoding
// (GBK, Big5, Shift_JIS, EUC-KR or windows-1252) when they are not. TextDecoder does the decoding (Node has full ICU), except for windows-1252.
import type { Warning } from '../types.js';

export interface DecodedPage {
  text: string;
  /** The WHATWG name of the encoding used, e.g. `utf-8`, `windows-1252`, `gbk`. */
  encoding: string;
  warnings: Warning[];
}

/** How far into a page the <meta charset> prescan looks (the HTML standard says 1024; real pages put it later). */
const PRESCAN_BYTES = 8192;

/** The charset parameter of a Content-Type value, if any. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1];
}

/** The WHATWG encoding a label names, or undefined when TextDecoder does not know it. */
export function encodingFor(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

/** The charset a page declares in its first bytes: <meta charset>, <meta http-equiv content-type>, or <?xml encoding?>. */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, PRESCAN_BYTES)).toString('latin1');
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (xml) return xml[1];
  for (const meta of head.matchAll(/<meta\b([^>]*)>/gi)) {
    const attributes = new Map<string, string>();
    for (const attribute of meta[1]!.matchAll(/([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      const name = attribute[1]!.toLowerCase();
      if (!attributes.has(name)) attributes.set(name, (attribute[2] ?? '').replace(/^["']|["']$/g, '').trim());
    }
    const charset = attributes.get('charset');
    if (charset) return charset;
    if (attributes.get('http-equiv')?.toLowerCase() === 'content-type') {
      const declared = /charset\s*=\s*["']?([^"'\s;]+)/i.exec(attributes.get('content') ?? '')?.[1];
      if (declared) return declared;
    }
  }
  return undefined;
}

/**
 * windows-1252 (what `iso-8859-1`, `latin1` and `ascii` mean on the web) for bytes 0x80-0x9f. Node's
 * TextDecoder reads these labels as ISO-8859-1, turning curly quotes, dashes and the euro sign into
 * C1 control characters, so this one encoding is decoded here.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  const chars: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const codes = Array.from(bytes.subarray(start, start + CHUNK), (b) => (b >= 0x80 && b < 0xa0 ? WINDOWS_1252_HIGH[b - 0x80]! : b));
    chars.push(String.fromCharCode(...codes));
  }
  return chars.join('');
}

/** Decode with a WHATWG encoding; `fatal` makes bytes the encoding cannot map return undefined. */
function decodeAs(bytes: Uint8Array, encoding: string, fatal = false): string | undefined {
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  try {
    return new TextDecoder(encoding, { fatal }).decode(bytes);
  } catch {
    return undefined;
  }
}

function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Count UTF-8 multi-byte sequences that are well formed and bytes that are not. */
function utf8Shape(bytes: Uint8Array): { multibyte: number; invalid: number } {
  let multibyte = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = length > 0 && i + length <= bytes.length;
    for (let k = 1; ok && k < length; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok) {
      multibyte++;
      i += length;
    } else {
      invalid++;
      i++;
    }
  }
  return { multibyte, invalid };
}

/**
 * Whether a file's first bytes are in a legacy encoding rather than UTF-8 with a few bad bytes: not
 * valid UTF-8 (a character cut at the end of the chunk is allowed), at least three invalid bytes,
 * and more of them than valid multi-byte characters (legacy double-byte text reads as UTF-8 to
 * mostly invalid bytes and a few accidental characters). Pages decide alike in decodePage, where a
 * charset may also be declared.
 */
export function looksLegacy(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return false;
  } catch {
    const { multibyte, invalid } = utf8Shape(bytes.subarray(0, 64 * 1024));
    return invalid >= 3 && invalid > multibyte;
  }
}

/**
 * Decode a page. `headerContentType` is the HTTP Content-Type (absent for saved files); `html` says
 * whether to look for a declaration inside the page. Problems (an unknown charset label, bytes the
 * encoding cannot represent) become warnings: the page is still scanned.
 */
export function decodePage(bytes: Uint8Array, headerContentType?: string, html = true): DecodedPage {
  const warnings: Warning[] = [];
  const bom = bomEncoding(bytes);
  if (bom) {
    const text = new TextDecoder(bom).decode(bytes);
    return { text, encoding: bom, warnings: replacementWarnings(text, bom, warnings) };
  }
  const candidates: { label: string; from: string }[] = [];
  const header = charsetOf(headerContentType);
  if (header) candidates.push({ label: header, from: 'the Content-Type header' });
  const meta = html ? declaredCharset(bytes) : undefined;
  if (meta) candidates.push({ label: meta, from: 'the page' });

  const known: { encoding: string; from: string }[] = [];
  for (const candidate of candidates) {
    let encoding = encodingFor(candidate.label);
    // A page cannot declare itself UTF-16 in ASCII; browsers read such a declaration as UTF-8.
    if (encoding?.startsWith('utf-16') && candidate.from === 'the page') encoding = 'utf-8';
    if (encoding === 'replacement') encoding = undefined;
    if (encoding === undefined) {
      warnings.push({
        code: 'UNKNOWN_CHARSET',
        message: `${candidate.from} declares charset \`${candidate.label}\`, which is not a known encoding; it was ignored`,
      });
    } else known.push({ encoding, from: candidate.from });
  }
  // A server default of ISO-8859-1 over pages written in UTF-8 is the classic mojibake; well-formed
  // multi-byte UTF-8 almost never happens by chance in windows-1252 text, so such bytes are read as UTF-8.
  if (known[0]?.encoding === 'windows-1252' && utf8Shape(bytes).multibyte > 0) {
    const utf8 = decodeAs(bytes, 'utf-8', true);
    if (utf8 !== undefined) {
      warnings.push({
        code: 'CHARSET_MISMATCH',
        message: `${known[0].from} says windows-1252 (ISO-8859-1) but the bytes are well-formed UTF-8; read as UTF-8`,
      });
      return { text: utf8, encoding: 'utf-8', warnings };
    }
  }
  // Otherwise the first declaration wins (the header over the page, as browsers do) unless it garbles
  // the bytes and a later one reads them cleanly: a server default of UTF-8 over a GBK page is common.
  for (const [i, choice] of known.entries()) {
    const clean = decodeAs(bytes, choice.encoding, true);
    if (clean !== undefined) {
      if (i > 0)
        warnings.push({
          code: 'CHARSET_MISMATCH',
          message: `${known[0]!.from} says ${known[0]!.encoding} but the bytes are not valid ${known[0]!.encoding}; read as ${choice.encoding}, as ${choice.from} declares`,
        });
      return { text: clean, encoding: choice.encoding, warnings };
    }
  }
  if (known.length > 0) {
    const encoding = known[0]!.encoding;
    const text = decodeAs(bytes, encoding)!;
    return { text, encoding, warnings: replacementWarnings(text, encoding, warnings) };
  }
  const utf8 = decodeAs(bytes, 'utf-8', true);
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8', warnings };
  const shape = utf8Shape(bytes);
  // Legacy-encoded text almost never forms valid UTF-8 sequences by chance, so a few valid ones outvote as many broken bytes.
  if (shape.multibyte > 0 && shape.multibyte >= shape.invalid) {
    const text = new TextDecoder('utf-8').decode(bytes);
    return { text, encoding: 'utf-8', warnings: replacementWarnings(text, 'utf-8', warnings) };
  }
  const guessed = guessLegacyEncoding(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  warnings.push({
    code: 'CHARSET_GUESSED',
    message: `no charset declared and the bytes are not UTF-8; read as ${guessed}, the likeliest encoding of the page`,
  });
  return { text: decodeAs(bytes, guessed)!, encoding: guessed, warnings };
}

function replacementWarnings(text: string, encoding: string, warnings: Warning[]): Warning[] {
  if (text.includes('\ufffd')) {
    const code = encoding === 'utf-8' ? 'INVALID_UTF8' : 'INVALID_BYTES';
    warnings.push({ code, message: `the page has bytes that are not valid ${encoding}; they were replaced with U+FFFD and the rest was scanned` });
  }
  return warnings;
}

/**
 * About 600 of the most frequent Han characters in Chinese text, simplified and traditional. Real
 * Chinese is mostly made of them; Korean or Japanese bytes read as GBK, or GBK read as Big5, give
 * valid but random characters, few of them frequent.
 */
const FREQUENT_HAN = new Set(
  '的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴招聘薪月工资职位要求岗经验联系电话微信' +
    '這個們國說時為會來對經後長開關發現實體當點麼無從動兩應問間還進過業種學員話樣與總師書聽將處見認讓訴薪資職聯繫電話機場飛票簽證務應徵請',
);

/** A candidate legacy encoding and how typical a decoded text is of the language it is used for (0 to 1). */
const chinese = (c: ScriptCounts): number => (c.han === 0 ? 0 : (c.han / c.other) * (c.frequentHan / c.han));
const LEGACY: ReadonlyArray<{ encoding: string; typical: (counts: ScriptCounts) => number }> = [
  { encoding: 'gb18030', typical: chinese },
  { encoding: 'big5', typical: chinese },
  { encoding: 'shift_jis', typical: (c) => (c.kana / c.other >= 0.05 ? (c.kana + c.han + c.cjkPunct) / c.other : 0) },
  { encoding: 'euc-kr', typical: (c) => c.hangul / c.other },
  { encoding: 'windows-1252', typical: (c) => (c.latin / c.other) * 0.9 },
];

interface ScriptCounts {
  other: number;
  han: number;
  frequentHan: number;
  kana: number;
  hangul: number;
  latin: number;
  cjkPunct: number;
  bad: number;
}

function countScripts(text: string): ScriptCounts {
  const c: ScriptCounts = { other: 0, han: 0, frequentHan: 0, kana: 0, hangul: 0, latin: 0, cjkPunct: 0, bad: 0 };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) continue;
    c.other++;
    if (cp >= 0x4e00 && cp <= 0x9fff) {
      c.han++;
      if (FREQUENT_HAN.has(ch)) c.frequentHan++;
    } else if (cp >= 0x3040 && cp <= 0x30ff) c.kana++;
    else if ((cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0x3130 && cp <= 0x318f)) c.hangul++;
    else if ((cp >= 0xc0 && cp <= 0xff) || cp === 0x20ac || (cp >= 0x2013 && cp <= 0x201e) || cp === 0xa0 || cp === 0xb0 || cp === 0xba || cp === 0xaa)
      c.latin++;
    else if ((cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff00 && cp <= 0xffef)) c.cjkPunct++;
    else if ((cp >= 0xe000 && cp <= 0xf8ff) || (cp >= 0x80 && cp < 0xa0) || cp === 0xfffd) c.bad++;
  }
  return c;
}

/**
 * The likeliest legacy encoding of bytes that are not UTF-8 (GBK/GB18030 on Chinese Windows, Big5
 * in Taiwan and Hong Kong, Shift_JIS, EUC-KR, windows-1252 in the West): of the encodings that
 * decode them without error, the one whose text is most typical of its language (Chinese by its
 * frequent characters, Japanese by its kana, Korean by Hangul, Western by accented Latin letters),
 * less private-use and control characters. windows-1252 decodes any bytes, so there is always an
 * answer.
 */
export function guessLegacyEncoding(bytes: Buffer): string {
  const sample = bytes.subarray(0, 64 * 1024);
  let best = { encoding: 'windows-1252', score: -Infinity };
  for (const { encoding, typical } of LEGACY) {
    let text: string;
    try {
      text = encoding === 'windows-1252' ? decodeWindows1252(sample) : new TextDecoder(encoding, { fatal: true }).decode(sample, { stream: true });
    } catch {
      continue;
    }
    const counts = countScripts(text);
    const score = counts.other === 0 ? 0 : typical(counts) - (2 * counts.bad) / counts.other;
    if (score > best.score) best = { encoding, score };
  }
  return best.encoding;
}
