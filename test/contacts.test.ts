// Contacts (issue 13): what a posting gives to be reached by, however it is disguised, at offsets
// into the original text; and --redact, which hashes them wherever the output carries them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractContacts, hashContactValue, redactVerdict } from '../src/contacts/index.js';
import type { Contact, Verdict } from '../src/types.js';
import { jsonLines, runMain as run, tempDir, writeInput } from './helpers.js';

const FIXTURE = 'fixtures/contacts/postings.jsonl';
const KEY = 'a-key-for-tests-0123456789abcdef';
const OTHER_KEY = 'another-key-for-tests-9876543210';

/** The contacts of one text, as the description of a posting with these other fields. */
function contactsOf(description: string, fields: Record<string, string> = {}, lang?: string): Contact[] {
  return extractContacts({ ...fields, description }, lang ? { lang } : {});
}

/** Every contact's span is the original text it says it is, in UTF-16 units and in code points. */
function expectSpansHold(fields: Record<string, string>, contacts: readonly Contact[]): void {
  for (const contact of contacts) {
    const text = fields[contact.field]!;
    expect(text.slice(contact.start, contact.end)).toBe(contact.match);
    expect(Array.from(text).slice(contact.cpStart, contact.cpEnd).join('')).toBe(contact.match);
  }
}

describe('extractContacts', () => {
  it('gives one key for a handle written five ways in three languages', () => {
    const ways: Array<[Record<string, string>, string?]> = [
      [{ contact: 'Contact us on Telegram: @HR_Linda_KH' }, 'en'],
      [{ description: 'Apply: https://t.me/hr_linda_kh today' }, 'en'],
      [{ contact: '纸飞机：@hr_linda_kh' }, 'zh-Hans'],
      [{ contact: 'เทเลแกรม: ＠ｈｒ＿ｌｉｎｄａ＿ｋｈ' }, 'th'],
      [{ contact: 'T e l e g r a m  hr_linda_kh' }, 'en'],
      [{ contact: 'Теlеgrаm @hr_lіnda_kh' }, 'en'], // Cyrillic е, а and і
      [{ contact: 'tele: hr_linda_kh' }, 'vi'],
    ];
    for (const [fields, lang] of ways) {
      const contacts = extractContacts(fields, lang ? { lang } : {});
      expect(
        contacts.map((c) => c.key),
        JSON.stringify(fields),
      ).toEqual(['handle:hr_linda_kh']);
      expect(contacts[0]!.app).toBe('telegram');
      expectSpansHold(fields, contacts);
    }
    // How each was disguised is recorded.
    expect(extractContacts({ contact: 'เทเลแกรม: ＠ｈｒ＿ｌｉｎｄａ＿ｋｈ' })[0]!.obfuscation).toContain('fullwidth');
    expect(extractContacts({ contact: '纸飞机：@hr_linda_kh' })[0]!.obfuscation).toContain('lookalike-app');
    expect(extractContacts({ contact: 'T e l e g r a m  hr_linda_kh' })[0]!.obfuscation).toContain('spelled-app');
  });

  it('gives one E.164 number for a phone spaced, dotted, full-width, in keycaps, in other digits and spelled out', () => {
    const location = { location: 'Sihanoukville, Cambodia' };
    const ways: Array<[string, string | undefined]> = [
      ['Call 0 1 2 3 4 5 6 7 8 now', 'spaced-digits'],
      ['WhatsApp 012.345.678', undefined],
      ['Tel: 012-345-678', undefined],
      ['电话：０１２３４５６７８', 'fullwidth'],
      ['Tel 0️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣ 🔥', 'emoji-digits'],
      ['WhatsApp: zero one two three four five six seven eight', 'spelled-digits'],
      ['Hubungi nol satu dua tiga empat lima enam tujuh delapan', 'spelled-digits'],
      ['电话 零一二三四五六七八', 'spelled-digits'],
      ['โทร ๐๑๒๓๔๕๖๗๘', 'native-digits'],
      ['ទូរស័ព្ទ ០១២ ៣៤៥ ៦៧៨', 'native-digits'],
      ['Call +855 12 345 678', undefined],
      ['(+855) 12-345-678', undefined],
      ['https://wa.me/85512345678', undefined],
    ];
    for (const [description, disguise] of ways) {
      const fields = { ...location, description };
      const phones = extractContacts(fields).filter((c) => c.kind === 'phone');
      expect(
        phones.map((c) => c.value),
        description,
      ).toEqual(['+85512345678']);
      expect(phones[0]!.country).toBe('KH');
      if (disguise) expect(phones[0]!.obfuscation, description).toContain(disguise);
      expectSpansHold(fields, phones);
    }
  });

  it('guesses the region of a number without a country code from the location, then the language', () => {
    expect(contactsOf('Tel: 0812345678', { location: 'Bangkok' })[0]!.value).toBe('+66812345678');
    expect(contactsOf('Tel: 0812345678', {}, 'th')[0]!.value).toBe('+66812345678');
    expect(contactsOf('SĐT: 0912 345 678', {}, 'vi')[0]!.value).toBe('+84912345678');
    expect(contactsOf('手机：13812345678', {}, 'zh-Hans')[0]!.value).toBe('+8613812345678');
    expect(contactsOf('Simu: 0712 345 678', { location: 'Nairobi' })[0]!.value).toBe('+254712345678');
    // The location wins over the language: a Thai ad for work in Cambodia gives a Cambodian number.
    expect(contactsOf('โทร 012 345 678', { location: 'กัมพูชา' }, 'th')[0]!.value).toBe('+85512345678');
    // No region to go by and no country code: no guess.
    expect(contactsOf('Tel: 012 345 678').filter((c) => c.kind === 'phone')).toEqual([]);
  });

  it('finds no phone in the numbers of ordinary ads', () => {
    const ordinary = [
      'Salary 1500-2500 USD per month',
      'Salary: 15000000 - 20000000 VND',
      'Lương 15.000.000 - 20.000.000 VNĐ',
      'Apply by 2024-01-15, interviews 15/01/2024 and 15.01.2024',
      'Founded in 1998; offices opened 2019 2020 2021',
      '2-3 years experience, 5+ years preferred',
      'Office at Street 271, postcode 12000, Phnom Penh 120101',
      'Job ID: 123456789. Ref 20240115. Invoice 0123456789',
      'Contact us about account no 0123456789 for the payroll',
      '月薪8000-12000元，年终奖 2-4 个月',
      'RM 3,500 - RM 4,500 monthly',
      'Call us for details: we work 9-17h, Mon-Fri',
      'Open 24/7. 100% remote. Version 2.0.1.3 of the app',
    ];
    for (const description of ordinary) {
      const phones = contactsOf(description, { location: 'Phnom Penh, Cambodia' }, 'en').filter((c) => c.kind === 'phone');
      expect(phones, description).toEqual([]);
    }
    expect(contactsOf('Lương 15.000.000 - 20.000.000 VNĐ, liên hệ phòng nhân sự', {}, 'vi')).toEqual([]);
  });

  it('accepts wallets whose checksum holds and rejects those whose checksum is broken', () => {
    const valid: Array<[string, string, string]> = [
      ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'btc', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'],
      ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'btc', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
      ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'btc', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
      ['BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ', 'btc', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
      ['bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297', 'btc', 'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297'],
      ['TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW', 'tron', 'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW'],
      ['0x52908400098527886E0F7030069857D2E4169EE7', 'eth', '0x52908400098527886e0f7030069857d2e4169ee7'],
    ];
    for (const [written, network, value] of valid) {
      const [wallet] = contactsOf(`Deposit to ${written} first.`);
      expect(wallet, written).toMatchObject({ kind: 'wallet', network, value, key: `wallet:${network}:${value}`, match: written });
    }
    const broken = [
      '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3',
      '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz',
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr',
      'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMX',
      // Right checksum for another version byte: a Bitcoin address is no TRON address and the other way.
      'T1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN',
    ];
    for (const written of broken) expect(contactsOf(`Deposit to ${written} first.`), written).toEqual([]);
  });

  it('knows chat apps by their look-alike names', () => {
    const cases: Array<[string, string, string, string?]> = [
      ['威信：linda_kh888', 'wechat', 'handle:linda_kh888', 'zh-Hans'],
      ['薇信 linda_kh888', 'wechat', 'handle:linda_kh888', 'zh-Hans'],
      ['加V信：linda_kh888', 'wechat', 'handle:linda_kh888', 'zh-Hans'],
      ['vx: linda_kh888', 'wechat', 'handle:linda_kh888', 'zh-Hans'],
      ['wx：linda_kh888', 'wechat', 'handle:linda_kh888', 'zh-Hans'],
      ['T.G: @linda_kh888', 'telegram', 'handle:linda_kh888'],
      ['tg @linda_kh888', 'telegram', 'handle:linda_kh888'],
      ['telegrm: linda_kh888', 'telegram', 'handle:linda_kh888'],
      ['wsap: +66 81 234 5678', 'whatsapp', 'phone:+66812345678'],
      ['whatsap +66 81 234 5678', 'whatsapp', 'phone:+66812345678'],
      ['WA: 081-234-5678', 'whatsapp', 'phone:+66812345678', 'th'],
      ['ws 0812345678', 'whatsapp', 'phone:+66812345678', 'th'],
      ['ln: linda_kh888', 'line', 'handle:linda_kh888', 'th'],
    ];
    for (const [description, app, key, lang] of cases) {
      const contacts = contactsOf(description, {}, lang);
      expect(
        contacts.map((c) => [c.key, c.app]),
        description,
      ).toEqual([[key, app]]);
      expect(contacts[0]!.obfuscation, description).toContain('lookalike-app');
    }
    // Everyday words that are also app names are no app without a separator and an identifier after them.
    expect(contactsOf('Our production line manager and wa office staff; the signal is clear', {}, 'en')).toEqual([]);
    expect(contactsOf('熟悉微信js-sdk开发', {}, 'zh-Hans')).toEqual([]);
  });

  it('reads e-mail written with at and dot, domains and chat links', () => {
    const description =
      'Mail hr.linda (at) gmail (dot) com or jobs@northwind-example.co.kh; see www.bestjob-kh.vip, line.me/ti/p/~linda_th, open.kakao.com/o/sAbCdEf9, zalo.me/0912345678, chat.whatsapp.com/AbCdEfGhIjKlMn';
    const keys = contactsOf(description, {}, 'en').map((c) => `${c.key}${c.app ? ` ${c.app}` : ''}`);
    expect(keys).toEqual([
      'email:hr.linda@gmail.com',
      'email:jobs@northwind-example.co.kh',
      'domain:bestjob-kh.vip',
      'handle:linda_th line',
      'handle:sabcdef9 kakaotalk',
      'phone:+84912345678 zalo',
      'handle:+abcdefghijklmn whatsapp',
    ]);
    expect(contactsOf('Mail hr.linda (at) gmail (dot) com')[0]!.obfuscation).toContain('at-dot');
    // Sentences run together and framework names are no domains.
    expect(contactsOf('a permanent contract.Work location: Hybrid. Skills: ASP.NET, of.NET, VS.Net, Node.js')).toEqual([]);
    expect(contactsOf('#PotenciaTuCarrerawww.northwind-example.com.ar').map((c) => c.key)).toEqual(['domain:northwind-example.com.ar']);
    // Scraped text with its escapes written out, and Spanish "arroba".
    expect(contactsOf('send CV to\\xa0linda.recruit (@) northwind-example.com').map((c) => c.key)).toEqual(['email:linda.recruit@northwind-example.com']);
    expect(contactsOf('MAIL: linda.recruit(arroba)gmail.com').map((c) => c.key)).toEqual(['email:linda.recruit@gmail.com']);
  });

  it('points into the original text, after emoji and in every field, in field then offset order', () => {
    const fields = {
      title: '🔥🔥 Typist 💻 wanted',
      contact: '📲 Ｔｅｌｅｇｒａｍ ＠hr_team_kh 🇰🇭',
      description: '🆓✈️ Free flight 👉 WhatsApp: +855 98 765 432 👈 or e-mail team.kh@example-mail.com 🙏',
    };
    const contacts = extractContacts(fields, { lang: 'en' });
    expect(contacts.map((c) => [c.field, c.key])).toEqual([
      ['contact', 'handle:hr_team_kh'],
      ['description', 'phone:+85598765432'],
      ['description', 'email:team.kh@example-mail.com'],
    ]);
    expectSpansHold(fields, contacts);
    // Code points and UTF-16 units differ after an astral emoji.
    const phone = contacts[1]!;
    expect(phone.start - phone.cpStart).toBe(2);
    // Deterministic: the same input, the same list.
    expect(extractContacts(fields, { lang: 'en' })).toEqual(contacts);
  });
});

describe('redaction', () => {
  it('hashes a value with the key: the same key gives the same hash, another key another', () => {
    const phone = { kind: 'phone' as const, value: '+85512345678' };
    const a = hashContactValue(KEY, phone);
    expect(a).toMatch(/^h:[0-9a-f]{32}$/);
    expect(hashContactValue(KEY, phone)).toBe(a);
    expect(hashContactValue(OTHER_KEY, phone)).not.toBe(a);
    expect(hashContactValue(KEY, { kind: 'handle', value: '+85512345678' })).not.toBe(a);
  });

  it('redacts a verdict read back from its own text, with offsets into the redacted text', () => {
    const fields = { title: 'Typist 🔥', description: 'Free flight. Telegram @hr_linda_kh or call +855 12 345 678. hr_linda_kh again.' };
    const contacts = extractContacts(fields, { lang: 'en' });
    const verdict: Verdict = {
      id: 'v1',
      source: {},
      posting: { title: fields.title, company: '', location: '', url: '' },
      lang: 'en',
      flagged: false,
      labels: [],
      scores: { 'forced-criminality': 0, 'employment-fraud': 0 },
      hits: [
        {
          rule: 'FC-TEST',
          label: 'forced-criminality',
          category: 'off-platform-contact',
          points: 1,
          field: 'description',
          start: 13,
          end: 34,
          cpStart: 13,
          cpEnd: 34,
          match: 'Telegram @hr_linda_kh',
        },
      ],
      contacts,
      text: fields,
    };
    const redacted = redactVerdict(verdict, KEY);
    const json = JSON.stringify(redacted);
    for (const raw of ['hr_linda_kh', '345 678', '85512345678']) expect(json).not.toContain(raw);
    const text = redacted.text!.description!;
    expect(redacted.hits[0]!.match).toBe(text.slice(redacted.hits[0]!.start, redacted.hits[0]!.end));
    expect(redacted.hits[0]!.match).toMatch(/^Telegram h:[0-9a-f]{32}$/);
    for (const contact of redacted.contacts!) {
      expect(text.slice(contact.start, contact.end)).toBe(contact.match);
      expect(contact.key).toBe(`${contact.kind}:${contact.value}`);
    }
    // Without the text, offsets still move as the text would: the same record as with it, but for `text`.
    const { text: _text, ...withoutText } = verdict;
    const blind = redactVerdict(withoutText, KEY);
    expect(blind.contacts).toEqual(redacted.contacts);
    expect(blind.hits).toEqual(redacted.hits);
    // Redacting twice changes nothing more; the input is left as it was.
    expect(redactVerdict(redacted, KEY)).toEqual(redacted);
    expect(verdict.text!.description).toBe(fields.description);
  });

  it('scan --redact: no raw number, handle, address or wallet in any format, the same hashes on every run', async () => {
    const raws = [
      'hr_linda_kh',
      'HR_LINDA_KH',
      '+855 12 345 678',
      '012 345 678',
      '12345678',
      '345 678',
      '0 1 2 . 3 4 5',
      '０１２',
      '零一二三四五六七八',
      'linda.recruit',
      'linda_kh888',
      'linda.kh99',
      'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW',
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
      '0917 123 4567',
      '9171234567',
      'zero nine one seven',
      'bestjob-kh',
    ];
    const env = { LURESCAN_REDACT_KEY: KEY };
    const base = ['scan', '--jobs', '0', FIXTURE, '--no-summary', '--redact', '--include-text', '--explain'];
    const outputs: Record<string, string> = {};
    for (const format of ['jsonl', 'json', 'csv', 'table', 'labelstudio']) {
      const { code, stdout, stderr } = await run([...base, '--format', format], { env });
      expect([0, 1], stderr).toContain(code);
      outputs[format] = stdout;
    }
    const dir = tempDir();
    const parquet = path.join(dir, 'v.parquet');
    expect((await run([...base, '-o', parquet], { env })).code).toBe(0);
    const { parquetReadObjects } = await import('hyparquet');
    const bytes = readFileSync(parquet);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    outputs.parquet = JSON.stringify(await parquetReadObjects({ file }));
    for (const [format, output] of Object.entries(outputs)) {
      for (const raw of raws) {
        const at = output.indexOf(raw);
        expect(at, `${raw} in ${format}: …${output.slice(Math.max(0, at - 80), at + 40)}…`).toBe(-1);
      }
    }
    // The contacts are still there, hashed, and join across postings and runs.
    const first = jsonLines<Verdict>(outputs.jsonl!);
    const keys = first.flatMap((v) => (v.contacts ?? []).map((c) => c.key));
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.every((key) => /^(?:phone|handle|email|domain|wallet:(?:btc|eth|tron)):h:[0-9a-f]{32}$/.test(key))).toBe(true);
    const linda = hashContactValue(KEY, { kind: 'handle', value: 'hr_linda_kh' });
    expect(first.filter((v) => v.contacts?.some((c) => c.key === `handle:${linda}`)).map((v) => v.id)).toEqual(['lure-en', 'lure-zh', 'lure-th']);
    const again = await run([...base, '--format', 'jsonl'], { env });
    expect(again.stdout).toBe(outputs.jsonl);
    const other = await run([...base, '--format', 'jsonl'], { env: { LURESCAN_REDACT_KEY: OTHER_KEY } });
    expect(other.stdout).not.toContain(linda);
    // Rules and scores do not move: redaction changes what the record shows, not the verdict.
    const plain = jsonLines<Verdict>((await run(['scan', '--jobs', '0', FIXTURE, '--no-summary', '--format', 'jsonl'])).stdout);
    expect(first.map((v) => [v.id, v.flagged, v.scores, v.hits.map((h) => h.rule)])).toEqual(
      plain.map((v) => [v.id, v.flagged, v.scores, v.hits.map((h) => h.rule)]),
    );
  });

  it('takes the key from a file, and stops with exit 2 saying how to give one when there is none', async () => {
    const dir = tempDir();
    const keyFile = writeInput(dir, 'key.txt', `${KEY}\n`);
    const fromFile = await run(['scan', '--jobs', '0', FIXTURE, '--no-summary', '--redact-key-file', keyFile]);
    const fromEnv = await run(['scan', '--jobs', '0', FIXTURE, '--no-summary', '--redact'], { env: { LURESCAN_REDACT_KEY: KEY } });
    expect(fromFile.stdout).toBe(fromEnv.stdout);
    const none = await run(['scan', '--jobs', '0', FIXTURE, '--no-summary', '--redact']);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('--redact-key-file');
    expect(none.stderr).toContain('LURESCAN_REDACT_KEY');
    const short = await run(['scan', '--jobs', '0', FIXTURE, '--no-summary', '--redact'], { env: { LURESCAN_REDACT_KEY: 'short' } });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('16 characters');
  });
});
