// A warning that quotes the offer it warns of (src/score/quoted.ts): when every rule hit that
// scored lies inside quotation marks and the text outside them has a warning word, the scoring
// file's `quote-mute` mutes its flags, as the report head's `report-mute` does.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCORING } from '../src/rules/definition.js';
import { parseRuleFile } from '../src/rules/parse.js';
import { countRecord, emptySummary } from '../src/report/summary.js';
import { decide } from '../src/score/index.js';
import { framedSpan, quotedLabels, quotedSpans, quotedWarning } from '../src/score/quoted.js';
import type { Hit, Verdict } from '../src/types.js';
import { jsonLines, readAllItems, runMain, tempDir, writeInput } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/** A hit on `match`, found in `text` of the description. */
function hitOn(text: string, match: string, points = 2, rule = 'FC-X'): Hit {
  const start = text.indexOf(match);
  if (start < 0) throw new Error(`${match} not in ${text}`);
  return { rule, label: 'forced-criminality', category: 'destination', points, field: 'description', start, end: start + match.length, match };
}

describe('quotedSpans', () => {
  it('finds the outermost quoted spans of each kind of mark', () => {
    const text = 'a "b" c «d» e 「f」 g “h” i';
    expect(quotedSpans(text).map(([open, close]) => text.slice(open + 1, close))).toEqual(['b', 'd', 'f', 'h']);
  });
  it('leaves an unclosed quotation open to nothing', () => {
    expect(quotedSpans('he said "come to Bangkok')).toEqual([]);
  });
});

describe('quotedWarning', () => {
  const warning = 'Police warn: posts saying "call-centre job in Cambodia, free flight" are a scam.';
  it('names the warning word when every scoring hit is inside the quotes', () => {
    const hits = [hitOn(warning, 'Cambodia'), hitOn(warning, 'free flight')];
    expect(quotedWarning({ description: warning }, hits)).toBe('Police');
  });
  it('says nothing when one scoring hit is outside the quotes', () => {
    const text = 'Beware of "fake agents". Call-centre job in Cambodia, free flight, DM us.';
    expect(quotedWarning({ description: text }, [hitOn(text, 'Cambodia')])).toBeUndefined();
  });
  it('says nothing without a warning word outside the quotes', () => {
    const text = 'My cousin sent me this: "call-centre job in Cambodia, free flight". Should I go?';
    expect(quotedWarning({ description: text }, [hitOn(text, 'Cambodia')])).toBeUndefined();
  });
  it('reads the warning in the title too, and in the languages of the corpus', () => {
    const text = 'Предложения «работа в Камбодже, перелёт за счёт компании» — это мошенничество.';
    expect(quotedWarning({ description: text }, [hitOn(text, 'Камбодже')])).toBe('мошен');
    const body = '「柬埔寨客服，包机票」';
    expect(quotedWarning({ title: '千祈唔好信', description: body }, [hitOn(body, '柬埔寨')])).toBe('千祈');
    // Vietnamese "lừa" alone ("lại lừa nữa": another scam), not only "lừa đảo"
    const vi = 'Lại lừa nữa nè cả nhà: «TUYỂN CTV ĐÁNH MÁY TẠI NHÀ, phí 350k hoàn lại sau 3 ngày»';
    expect(quotedWarning({ description: vi }, [hitOn(vi, 'phí 350k')])).toBe('lừa');
  });
  it('takes a question whether the offer is real for a warning, in several languages', () => {
    const en = 'Is this legit? Got this on Messenger: "call-centre job in Cambodia, free flight"';
    expect(quotedWarning({ description: en }, [hitOn(en, 'Cambodia')])).toBe('Is this legit');
    const ja = 'これ本物？「【急募】タイ 日本語サポート 月給38万 航空券支給」';
    expect(quotedWarning({ description: ja }, [hitOn(ja, '航空券支給')])).toBe('本物？');
    const km = 'តើពិតឬក្លែងក្លាយ? "ការងារនៅក្រុងព្រះសីហនុ"';
    expect(quotedWarning({ description: km }, [hitOn(km, 'ក្រុងព្រះសីហនុ')])).toBe('ក្លែងក្លាយ');
  });
  it("does not take a job ad's own notes heading (ご注意, 注意事項) for a warning", () => {
    const ad = '■ご注意\n・作業開始前に「コンボ注文」の残高をチャージ';
    expect(quotedWarning({ description: ad }, [hitOn(ad, 'コンボ注文')])).toBeUndefined();
    const warned = '詐欺に注意してください：「コンボ注文」';
    expect(quotedWarning({ description: warned }, [hitOn(warned, 'コンボ注文')])).toBe('詐欺');
  });
  it('judges each label on its own hits (quotedLabels)', () => {
    const text = 'Scam alert: "data entry, deposit 500 to start" and our Cambodia office is hiring';
    const fc = hitOn(text, 'Cambodia');
    const ef = { ...hitOn(text, 'deposit 500', 4, 'EF-X'), label: 'employment-fraud' as const };
    expect(quotedLabels({ description: text }, [fc, ef], ['forced-criminality', 'employment-fraud'])).toEqual({
      labels: ['employment-fraud'],
      cue: 'Scam',
    });
    expect(quotedLabels({ description: text }, [fc, ef], ['forced-criminality'])).toBeUndefined();
  });
  it('ignores combinations and negative hits, and needs at least one placed scoring hit', () => {
    const combination: Hit = { rule: 'FC-COMBO', label: 'forced-criminality', category: 'combination', points: 3, combines: ['FC-X'] };
    const negative = { ...hitOn(warning, 'Police', -2, 'NEG-X') };
    expect(quotedWarning({ description: warning }, [hitOn(warning, 'Cambodia'), combination, negative])).toBe('Police');
    expect(quotedWarning({ description: warning }, [combination, negative])).toBeUndefined();
    const unplaced: Hit = { rule: 'FC-Y', label: 'forced-criminality', category: 'pay', points: 1 };
    expect(quotedWarning({ description: warning }, [hitOn(warning, 'Cambodia'), unplaced])).toBeUndefined();
  });
});

describe('framedSpan: a repost that pastes an offer whole and adds its word above or below a line', () => {
  const offer = 'OPORTUNIDADE INTERNACIONAL\nVaga: atendente, Tailândia\nPassagem aérea paga\nChama no Telegram: @rh_asia';
  it("takes the block below a separator line for the poster's word and the rest for the paste", () => {
    const text = `${offer}\n————\nIsso é golpe, gente, minha prima foi parar em Mianmar.`;
    const span = framedSpan(text);
    expect(span).toEqual([-1, text.indexOf('Isso')]);
    expect(quotedWarning({ description: text }, [hitOn(text, 'Tailândia'), hitOn(text, 'Passagem aérea paga')])).toBe('golpe');
  });
  it('takes a line pointing down at the paste, and one pointing up at it', () => {
    const above = `NÃO CAIAM: isso é tráfico de pessoas. Recebi hoje 👇\n${offer}`;
    expect(framedSpan(above)).toEqual([above.indexOf('\nOPORTUNIDADE') - 1, above.length]);
    const below = `${offer}\n↑ 이 문자 받으신 분들, 이거 사기입니다. 답장하지 마세요.`;
    expect(framedSpan(below)).toEqual([-1, below.indexOf('↑')]);
  });
  it('reads lines that end in a carriage return as well', () => {
    const text = `NÃO CAIAM: isso é golpe. Recebi hoje 👇\r\n${offer.replace(/\n/g, '\r\n')}\r\n-----\r\nfim`;
    expect(framedSpan(text)?.[1]).toBe(text.length);
    const below = `${offer.replace(/\n/g, '\r\n')}\r\n————\r\nIsso é golpe, gente.`;
    expect(framedSpan(below)).toEqual([-1, below.indexOf('Isso')]);
  });
  it('names the word of a frame that only a frame reads (a trap, "mtego")', () => {
    const text = `${offer}\n————\nHii ni mtego, msiende.`;
    expect(quotedWarning({ description: text }, [hitOn(text, 'Tailândia')])).toBe('mtego');
  });
  it("does not mute when a scoring hit lies in the poster's own block", () => {
    const text = `${offer}\n————\nIsso é golpe: quem vai acaba preso em Mianmar.`;
    expect(quotedWarning({ description: text }, [hitOn(text, 'Tailândia'), hitOn(text, 'Mianmar')])).toBeUndefined();
  });
  it('leaves an offer whose own footer warns of others, denies being a scam or admonishes', () => {
    // the offer's borrowed warning, in its own voice
    expect(framedSpan(`${offer}\n━━━━━━\n⚠️ Beware of fake agents using our name! We never charge fees. Scammers are everywhere.`)).toBeUndefined();
    expect(framedSpan(`⚠️ WASPADA PENIPUAN ⚠️ Kami tidak pernah meminta biaya.\n-----\n${offer}`)).toBeUndefined();
    // a denial: "this is not a scam"
    expect(framedSpan(`🛑 NO ES ESTAFA 🛑 somos empresa real\n=====\n${offer}`)).toBeUndefined();
    expect(framedSpan(`${offer}\n———\nHindi po ito scam, 3 years na kami.`)).toBeUndefined();
    // an employer's admonition (58.com's "谨防受骗"), no word calling the paste a scam
    expect(framedSpan('招聘保安，月薪5000，包吃住\n————————\n温馨提示：谨防受骗，求职不交任何费用')).toBeUndefined();
    // a caution about scams in general, not about the paste; a footer that gives a way to reach someone
    expect(framedSpan(`⚠️ Many scam agents around, be careful ⚠️\n-----\n${offer}`)).toBeUndefined();
    expect(framedSpan(`${offer}\n-----\nThis page is cloned by scammers, real HR is only @rh_asia_oficial`)).toBeUndefined();
    // a footer without any such word is no commentary
    expect(framedSpan(`${offer}\n-----\nDon't miss it! Limited slots.`)).toBeUndefined();
  });
  it('needs a line to frame the paste: a plain text has none, nor a separator that ends the text', () => {
    expect(framedSpan(`This is a scam. ${offer}`)).toBeUndefined();
    expect(framedSpan(`This is a scam.\n${offer}\n-----`)).toBeUndefined();
  });
});

describe('quote-mute', () => {
  const scoring = { ...DEFAULT_SCORING, caps: { 'forced-criminality': { routing: 8 }, 'employment-fraud': {} } };
  const hit: Hit = { rule: 'FC-X', label: 'forced-criminality', category: 'routing', points: 8 };
  it('mutes a quoted warning only when the scoring file turns it on', () => {
    expect(decide([hit], undefined, { ...scoring, quoteMute: true }, undefined, undefined, ['forced-criminality'])).toMatchObject({
      labels: [],
      muted: ['forced-criminality'],
      mutedBy: 'quotation',
    });
    expect(decide([hit], undefined, scoring, undefined, undefined, ['forced-criminality']).labels).toEqual(['forced-criminality']);
    expect(decide([hit], undefined, { ...scoring, quoteMute: true }, undefined, undefined, []).labels).toEqual(['forced-criminality']);
  });
  it('mutes only the labels whose own evidence is quoted', () => {
    const scam: Hit = { rule: 'EF-X', label: 'employment-fraud', category: 'advance-fee', points: 6 };
    const both = { ...scoring, quoteMute: true, caps: { 'forced-criminality': { routing: 8 }, 'employment-fraud': { 'advance-fee': 6 } } };
    expect(decide([hit, scam], undefined, both, undefined, undefined, ['forced-criminality'])).toMatchObject({
      labels: ['employment-fraud'],
      muted: ['forced-criminality'],
      mutedBy: 'quotation',
    });
  });
  it('counts a posting as muted in the summary only when no label is left flagged', () => {
    const base = { source: { file: 'a.jsonl', line: 1 }, posting: { title: '', company: '', location: '', url: '' }, lang: 'en' };
    const scores = { 'forced-criminality': 9, 'employment-fraud': 7 };
    const summary = emptySummary('9.9.9', { fingerprint: 'f', rules: 1, files: 1 });
    const quoted = { muted: ['forced-criminality' as const], cue: 'scam' };
    countRecord(summary, { ...base, id: 'a', flagged: true, labels: ['employment-fraud'], scores, hits: [], quoted } as Verdict);
    countRecord(summary, { ...base, id: 'b', flagged: false, labels: [], scores, hits: [], quoted } as Verdict);
    expect(summary.muted).toBe(1);
    expect(summary.flagged.any).toBe(1);
  });
  it('is read from the scoring file as true or false', () => {
    const head = 'scoring:\n  thresholds: {forced-criminality: 8, employment-fraud: 6}\n  caps: {}\n';
    expect(parseRuleFile(`${head}  quote-mute: true\n`, 's.yaml').scoring?.quoteMute).toBe(true);
    const bad = parseRuleFile(`${head}  quote-mute: yes please\n`, 's.yaml');
    expect(bad.problems.map((p) => p.message).join('\n')).toMatch(/`quote-mute` must be true or false/);
  });
});

describe('scan with quote-mute', () => {
  let dir: string;
  let rules: string;
  let lures: string[];
  beforeAll(async () => {
    dir = tempDir();
    // The shipped rules, whose scoring file turns quote-mute on: the set every other scan of the
    // suite loads (from the rule-set cache) and compiles (once a process), not a copy of it.
    rules = path.join(root, 'rules');
    expect(readFileSync(path.join(rules, 'scoring.yaml'), 'utf8')).toMatch(/^ {2}quote-mute: true$/m);
    const items = await readAllItems([path.join(root, 'fixtures/postings/fc-en.csv')]);
    lures = items.flatMap((item) => (item.kind === 'posting' && item.posting.fields.description ? [item.posting.fields.description] : []));
    lures = lures.filter((text) => !/["“”«»「」『』„‹›]/.test(text)).slice(0, 40);
  });
  const scan = async (name: string, rows: string[], ruleFolder = rules): Promise<Verdict[]> => {
    const input = writeInput(dir, name, `${rows.map((description, k) => JSON.stringify({ id: `${name}-${k}`, description })).join('\n')}\n`);
    const result = await runMain(['scan', input, '--rules', ruleFolder, '--no-model', '--jobs', '0', '--format', 'jsonl']);
    expect(result.code, result.stderr).toBeLessThan(2);
    return jsonLines<Verdict>(result.stdout);
  };

  it('mutes the fixture lures quoted in a warning, and keeps them flagged bare or quoted without one', async () => {
    const bare = await scan('bare.jsonl', lures);
    const flagged = bare.filter((v) => v.flagged).length;
    expect(flagged).toBeGreaterThan(10);
    // The warning names a scam but tells no one not to answer: "do not reply" in the same line would
    // be a repost's warning line (NEG-*-WARNING-HEAD), whose veto changes the scores themselves.
    const warned = await scan(
      'warned.jsonl',
      lures.map((lure) => `Scam alert from the police. Messages such as this one are going round: "${lure}"`),
    );
    const asked = await scan(
      'asked.jsonl',
      lures.map((lure) => `Job offer of the week: "${lure}"`),
    );
    for (const [i, before] of bare.entries()) {
      expect(warned[i]!.scores, lures[i]).toEqual(before.scores);
      expect(warned[i]!.flagged).toBe(false);
      if (before.flagged) expect(warned[i]!.quoted).toEqual({ muted: before.labels, cue: 'Scam' });
      else expect(warned[i]!.quoted).toBeUndefined();
      expect(asked[i]!.labels).toEqual(before.labels);
      expect(asked[i]!.quoted).toBeUndefined();
    }
    // Turned off in the scoring file, the warnings are flagged as the bare lures are. The copy is in
    // a folder of this checkout (ignored by git), the same every run: the rule-set cache keys a set
    // by its files' names as well as their texts, and a copy under a fresh temporary folder was
    // parsed, checked and planned afresh every run.
    const off = path.join('.scratch', 'quoted', 'rules-quote-mute-off');
    rmSync(off, { recursive: true, force: true });
    cpSync(rules, off, { recursive: true });
    const file = path.join(off, 'scoring.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}quote-mute: true$/m, '  quote-mute: false'));
    const unmuted = await scan(
      'off.jsonl',
      lures.map((lure) => `Scam alert from the police. Messages such as this one are going round: "${lure}"`),
      off,
    );
    expect(unmuted.filter((v) => v.flagged).length).toBe(flagged);
    expect(unmuted.every((v) => v.quoted === undefined)).toBe(true);
  });

  it("mutes them pasted above a line that calls them trafficking, and not under an offer's own footer", async () => {
    const bare = await scan('bare-framed.jsonl', lures);
    expect(bare.filter((v) => v.flagged).length).toBeGreaterThan(10);
    // No rule reads this line (it neither tells anyone not to go nor declares a scam in a rule's
    // words): only the frame does, so the scores stay those of the bare lure.
    const framed = await scan(
      'framed.jsonl',
      lures.map((lure) => `${lure}\n↑ Isso é tráfico, a prima da minha vizinha foi.`),
    );
    // The offer's own borrowed caution, with its contact: not a reader's word on a paste.
    const footer = await scan(
      'footer.jsonl',
      lures.map((lure) => `${lure}\n————\nCuidado com golpes: nós nunca cobramos taxas. Fale só com @rh_oficial`),
    );
    for (const [i, before] of bare.entries()) {
      expect(framed[i]!.scores, lures[i]).toEqual(before.scores);
      expect(framed[i]!.flagged).toBe(false);
      if (before.flagged) expect(framed[i]!.quoted).toEqual({ muted: before.labels, cue: 'tráfico' });
      expect(footer[i]!.labels, lures[i]).toEqual(before.labels);
      expect(footer[i]!.quoted).toBeUndefined();
    }
  });

  it('counts them in the summary and says why in the table', async () => {
    const rows = lures.map((lure) => `Scam alert from the police. Messages such as this one are going round: "${lure}"`);
    const input = writeInput(dir, 'summary.jsonl', `${rows.map((description, k) => JSON.stringify({ id: `s${k}`, description })).join('\n')}\n`);
    const json = await runMain(['scan', input, '--rules', rules, '--no-model', '--jobs', '0', '--format', 'json']);
    const muted = jsonLines<Verdict>((await runMain(['scan', input, '--rules', rules, '--no-model', '--jobs', '0', '--format', 'jsonl'])).stdout).filter(
      (v) => v.quoted,
    ).length;
    expect(muted).toBeGreaterThan(10);
    expect(JSON.parse(json.stdout).summary.muted).toBe(muted);
    const table = await runMain(['scan', input, '--rules', rules, '--no-model', '--jobs', '0', '--format', 'table', '--no-summary']);
    expect(table.stdout.match(/its offer is quoted in a warning \("Scam"\)/g)).toHaveLength(muted);
  });
});
