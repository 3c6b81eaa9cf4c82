import { describe, expect, it } from 'vitest';
import { NORMALIZER, normalizeString, normalizeText, originalSpan } from '../src/normalize/index.js';
import { CLUSTER_FOLDS, ClusterFolds, SCRATCH_KEEP } from '../src/normalize/state.js';

/** The original text behind the first occurrence of `needle` in the normalised text. */
function backToOriginal(input: string, needle: string): string {
  const n = normalizeText(input);
  const at = n.text.indexOf(needle);
  expect(at, `"${needle}" in "${n.text}"`).toBeGreaterThanOrEqual(0);
  const [start, end] = originalSpan(n, at, at + needle.length);
  return input.slice(start, end);
}

describe('normalizeText', () => {
  it.each([
    ['T.e.l.e.g.r.a.m @hr_job', 'telegram @hr_job'],
    ['W h a t s A p p +66 81', 'whatsapp +66 81'],
    ['T-e-l-e-g-r-a-m', 'telegram'],
    ['Work in C@mb0dia!! wh4ts4pp', 'work in cambodia!! whatsapp'],
    ['Ｔｅｌｅｇｒａｍ ＩＤ', 'telegram id'],
    ['\u0422\u0435l\u0435gr\u0430m', 'telegram'],
    ['Tele\u200bgram and Wh\u00adats\u2060App', 'telegram and whatsapp'],
    ['𝐓𝐞𝐥𝐞𝐠𝐫𝐚𝐦 ✅', 'telegram ✅'],
    ['  many   spaces\n\tand\r\nlines  ', 'many spaces and lines'],
    ['VIỆC NHẸ LƯƠNG CAO', 'việc nhẹ lương cao'],
    ['西港 包吃包住  KK园区', '西港 包吃包住 kk园区'],
    ['<p>Customer&nbsp;service</p><script>var x=1</script>Tele<b>gram</b> &amp; more', 'customer service telegram & more'],
    // Emoji written for words, flags as country names, keycap digits as digits.
    ['🆓✈️ + 🏠🍚 in 🇰🇭!!', 'free flight + accommodation food in cambodia !!'],
    ['Call 0️⃣9️⃣7️⃣ now 📲', 'call 097 now phone'],
    ['Work in 🇲🇲Myawaddy, 💰3000$', 'work in myanmar myawaddy, money 3000$'],
    // Traditional Chinese (and regional variants) folded to Simplified.
    ['包機票，臺灣，為什麼', '包机票,台湾,为什么'],
    // Arabic vowel marks and the tatweel dropped; the letters (alif forms, ta marbuta) kept.
    ['التذاكر مجاناً، السكن مؤمّن، عـــاجل', 'التذاكر مجانا، السكن مؤمن، عاجل'],
    ['إقامة وأكل', 'إقامة وأكل'],
  ])('%j folds to %j', (input, expected) => {
    expect(normalizeText(input).text).toBe(expected);
  });

  it('leaves ordinary numbers, addresses and words alone', () => {
    const text = 'jobs@gmail.com recruitment@ardent-ispp.edu.kh 5th floor 3000usd web3 4th USD 1,500 covid19 24/7';
    expect(normalizeText(text).text).toBe(text.toLowerCase());
  });

  it('does not join ordinary short words', () => {
    expect(normalizeText('I am a good fit').text).toBe('i am a good fit');
    expect(normalizeText('U.S.A. visa').text).toBe('u.s.a. visa');
  });

  it('keeps Russian words in Cyrillic (no mixed script, no folding)', () => {
    expect(normalizeText('Работа в Камбодже').text).toBe('работа в камбодже');
  });

  it('maps spans back to the original text through every fold', () => {
    expect(backToOriginal('Contact T.e.l.e.g.r.a.m now', 'telegram')).toBe('T.e.l.e.g.r.a.m');
    expect(backToOriginal('Go to C@mb0dia', 'cambodia')).toBe('C@mb0dia');
    expect(backToOriginal('ＴＥＬＥＧＲＡＭ', 'telegram')).toBe('ＴＥＬＥＧＲＡＭ');
    expect(backToOriginal('x 𝐓𝐞𝐥𝐞𝐠𝐫𝐚𝐦 y', 'telegram')).toBe('𝐓𝐞𝐥𝐞𝐠𝐫𝐚𝐦');
    expect(backToOriginal('<p>Free&nbsp;flight</p>', 'free flight')).toBe('Free&nbsp;flight');
    expect(backToOriginal('Tele\u200bgram', 'telegram')).toBe('Tele\u200bgram');
    expect(backToOriginal('薪资高 西港 包吃住', '西港')).toBe('西港');
  });

  it('maps a folded emoji word back to the emoji it came from', () => {
    expect(backToOriginal('Free ✈️ to 🇰🇭 now', 'flight')).toBe('✈️');
    expect(backToOriginal('Free ✈️ to 🇰🇭 now', 'cambodia')).toBe('🇰🇭');
    expect(backToOriginal('👨\u200d💻 job', 'computer')).toBe('💻');
    expect(backToOriginal('包機票', '包机票')).toBe('包機票');
  });

  it('leaves emoji it has no word for as they are', () => {
    expect(normalizeText('Great 😀 team').text).toBe('great 😀 team');
  });

  it('composes decomposed Vietnamese so keywords written precomposed match', () => {
    const decomposed = 'vie\u0302\u0323c nhe\u0323 lu\u031bo\u031bng cao'.normalize('NFD');
    expect(normalizeText(decomposed).text).toBe('việc nhẹ lương cao');
  });

  it('handles a large field in linear time without losing the map', () => {
    const big = `${'lorem ipsum '.repeat(200_000)}Sihanoukville`;
    const n = normalizeText(big);
    const at = n.text.indexOf('sihanoukville');
    expect(big.slice(...originalSpan(n, at, at + 13))).toBe('Sihanoukville');
  });
});

describe('normalizeString', () => {
  it('gives the general fold whichever path a text takes (plain ASCII has a fast one)', () => {
    const texts = [
      'Customer Service   Typist\n\tFree visa\r\n',
      '\u0001control\u007f chars \u000b and \f feeds ',
      'T.e.l.e.g.r.a.m and W h a t s',
      'a.b c-d e_f g*h i',
      'i.e. e.g. a b c',
      'C@mb0dia wh4ts4pp jobs@gmail.com 24/7 401k b2b',
      '<b>Bold</b> &amp; entities',
      'x < y and a & b',
      'Café £500 — “quoted” Αθήνα',
      '西港 KK园区 包吃包住',
      '\ud800 lone \udc00 surrogates \ud83d\ude00',
      'e\u0301 combining',
      '',
      '   ',
    ];
    // Every short mix of the characters the fast path's checks hinge on.
    const alphabet = [
      'a',
      'B',
      ' ',
      '.',
      '-',
      '_',
      '*',
      '@',
      '$',
      '!',
      '0',
      '1',
      '3',
      '4',
      '7',
      '9',
      '\t',
      '\n',
      '\u0001',
      '<',
      '>',
      '&',
      ';',
      'x',
      'é',
      '\u00a0',
    ];
    let seed = 7;
    for (let i = 0; i < 5000; i++) {
      let text = '';
      const length = 1 + (i % 12);
      for (let k = 0; k < length; k++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        text += alphabet[seed % alphabet.length];
      }
      texts.push(text);
    }
    for (const text of texts) expect(normalizeString(text), JSON.stringify(text)).toBe(normalizeText(text).text);
    expect(normalizeString('Whats4pp  ME\tnow')).toBe('whatsapp me now');
  });
});

describe('the normaliser state (NORMALIZER)', () => {
  it('keeps the cluster cache within its bound, emptying it when full', () => {
    const folds = new ClusterFolds(3);
    for (const cluster of ['a', 'b', 'c']) folds.set(cluster, cluster);
    expect(folds.size).toBe(3);
    folds.set('d', 'd');
    expect(folds.size).toBe(1);
    expect(folds.get('a')).toBeUndefined();
    expect(folds.get('d')).toBe('d');
  });

  it('fills the cluster cache from text with marks, and folds the same after clear()', () => {
    NORMALIZER.clear();
    expect(NORMALIZER.clusters.size).toBe(0);
    const text = 'Vie\u0302\u0323c làm ＴＥＬＥＧＲＡＭ ①';
    const before = normalizeText(text);
    expect(NORMALIZER.clusters.size).toBeGreaterThan(0);
    expect(NORMALIZER.clusters.size).toBeLessThanOrEqual(CLUSTER_FOLDS);
    NORMALIZER.clear();
    expect(NORMALIZER.clusters.size).toBe(0);
    expect(normalizeText(text)).toEqual(before);
    expect(before.text).toBe('việc làm telegram 1');
  });

  it('lets go of scratch columns a huge field grew, and keeps those of ordinary fields', () => {
    normalizeText('a short field');
    const ordinary = NORMALIZER.scratch.capacity;
    expect(ordinary).toBeLessThanOrEqual(SCRATCH_KEEP);
    const huge = 'ab '.repeat(SCRATCH_KEEP);
    expect(normalizeText(huge).text.length).toBe(huge.length - 1);
    expect(NORMALIZER.scratch.capacity).toBeLessThanOrEqual(SCRATCH_KEEP);
    normalizeText('another short field');
    expect(NORMALIZER.scratch.capacity).toBe(ordinary);
  });
});
