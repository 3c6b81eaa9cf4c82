import { describe, expect, it } from 'vitest';
import { normalizeText } from '../src/normalize/index.js';
import { deniedMatch } from '../src/rules/denial.js';
import { compileRuleSet, deniedHits, evaluateRules, prepareFields } from '../src/rules/engine.js';
import { assembleRuleSet } from '../src/rules/ruleset.js';
import { parseRuleFile } from '../src/rules/schema.js';
import { scorePosting } from '../src/score/index.js';
import type { Posting } from '../src/types.js';

/** Whether `phrase` (its first occurrence) lies in a denial of `text`, as the engine asks it. */
function deniedIn(text: string, phrase: string): boolean {
  const norm = normalizeText(text);
  const at = norm.text.indexOf(phrase);
  if (at < 0) throw new Error(`"${phrase}" is not in the folded text "${norm.text}"`);
  return deniedMatch(norm, text, at, at + phrase.length);
}

describe('denials', () => {
  it('hold what a disclaimer says is never asked for, in every language of the corpus', () => {
    for (const [text, phrase] of [
      ['We will never ask you to pay a fee, top up a balance, buy gift cards, or share your online-banking login.', 'buy gift cards'],
      ['No joining fee, no starter pack. Walk in Mon-Wed.', 'starter pack'],
      ['Please do not send money to anyone who offers you this job.', 'money'],
      ['不收 任何 joining fee，公司 sponsor 你 考 PCE 执照', 'joining fee'],
      ['全程不收取任何費用，也不需要墊付一分錢。', '垫付'],
      ['Không thu bất kỳ khoản phí nào, không yêu cầu nạp tiền.', 'yêu cầu nạp tiền'],
      ['Hakuna ada ya kujiunga. Wateja hulipa moja kwa moja.', 'ada ya kujiunga'],
      ['আমরা কখনো টাকা, বিকাশ পিন বা ওটিপি চাই না', 'বিকাশ পিন'],
      ['Kami TIDAK akan meminta bayaran, nombor kad atau kata laluan bank', 'kata laluan bank'],
      ['Мы никогда не просим оплату за обучение, коды из СМС или пароли', 'коды из смс'],
      ['※就職保証はありません。', '就职保证'],
      ['통장 비밀번호는 절대 요구하지 않습니다', '비밀번호'],
      ['हम कोई फीस नहीं लेते', 'फीस'],
      ['อย่าเปิดบัญชีหรือรับโอนเงินแทนผู้อื่น', 'รับโอนเงินแทน'],
      // a rule's match may start inside the cue's wording: "need to pay", 要购买, ต้องจ่าย
      ['No need to pay anything upfront.', 'need to pay'],
      ['全程不收取任何费用，不需要购买设备、软件或培训课程。', '要购买设备'],
      ['ไม่ต้องจ่ายค่าสมัคร', 'ต้องจ่ายค่าสมัคร'],
    ] as const) {
      expect(deniedIn(text, phrase), `${phrase} in ${text}`).toBe(true);
    }
  });

  it('end where the sentence turns or a clause ends, so what a scam asks for after a denial still counts', () => {
    for (const [text, phrase] of [
      ['No registration fee, only a refundable deposit of $50 for the kit.', 'deposit'],
      ['No experience needed, deposit 500k to start', 'deposit'],
      ['No experience needed.\nRegistration fee 300', 'registration fee'],
      ['We do not charge agency fees. Pay the visa processing fee of $200 after the interview.', 'visa processing fee'],
      ['Không mất phí đăng ký, chỉ cần đặt cọc 500k', 'đặt cọc'],
      ['无需经验，需先交99元押金领取工作账号', '押金'],
      ['교육비 10만원 외 추가 비용 없습니다', '교육비'],
      ['पहले 500 रुपये जमा करें नहीं तो जॉब नहीं मिलेगी', 'जमा'],
      ['Hakuna uzoefu unaohitajika, lipa ada ya usajili KSh 500', 'ada ya usajili'],
    ] as const) {
      expect(deniedIn(text, phrase), `${phrase} in ${text}`).toBe(false);
    }
  });

  it('hold an ask reported of scammers or done to victims, and no ask an offer makes', () => {
    for (const [text, phrase, held] of [
      ['Scammers then ask victims to pay a deposit before any task.', 'pay a deposit', true],
      ['Victims were later told to buy gift cards for the manager.', 'buy gift cards', true],
      ['近期不法分子以兼职为名，要求受害人缴纳保证金。', '缴纳保证金', true],
      ['Các đối tượng yêu cầu bị hại nạp tiền để nhận nhiệm vụ.', 'nạp tiền', true],
      ['Мошенники просят внести депозит за доступ к заданиям.', 'внести депозит', true],
      ['Beware of scammers. Pay the registration fee only to our official account.', 'registration fee', false],
      ['Many scammers out there, but we are real: deposit 500k to start.', 'deposit', false],
      ['You will be asked to pay a refundable deposit of $50.', 'pay a refundable deposit', false],
    ] as const) {
      expect(deniedIn(text, phrase), `${phrase} in ${text}`).toBe(held);
    }
  });

  it('never hold a match that reads a negation itself', () => {
    expect(deniedIn('❌ Tak perlu JLPT ❌ Tak perlu pengalaman', 'tak perlu jlpt')).toBe(false);
    expect(deniedIn('We never ask for anything: no interview, start today', 'no interview')).toBe(false);
  });
});

const RULES = `rules:
  - id: T-EF-FEE
    title: a fee to start
    label: employment-fraud
    category: advance-fee
    points: 6
    any:
      - regex: '(?:registration|joining) fee'
    references: [WIKI]
    examples: {match: ["pay the registration fee"], nomatch: ["no registration fee"]}
  - id: T-EF-FEE-LITERAL
    title: a fee, denials or not
    label: employment-fraud
    category: pay-to-work
    points: 1
    negatable: false
    any:
      - regex: 'joining fee'
    references: [WIKI]
    examples: {match: ["no joining fee"], nomatch: ["free"]}
  - id: T-FC-FLIGHT
    title: free flight
    label: forced-criminality
    category: travel-paid
    points: 2
    any:
      - regex: 'flight'
    references: [WIKI]
    examples: {match: ["free flight"], nomatch: ["free"]}
`;

describe('negatable rules', () => {
  const parsed = parseRuleFile(RULES, 'x.yaml');
  const set = compileRuleSet(parsed.rules, assembleRuleSet([{ file: 'x.yaml', text: RULES }]).scoring);
  const scan = (description: string) => {
    const posting: Posting = { id: 'p', source: { file: 't.csv', row: 2 }, fields: { description } };
    return evaluateRules(set, prepareFields(posting)).map((hit) => `${hit.rule}@${hit.start}`);
  };

  it('pass over a match inside a denial and take the next one; others keep their first match', () => {
    expect(parsed.problems).toEqual([]);
    expect(scan('No joining fee, no flight costs.')).toEqual(['T-EF-FEE-LITERAL@3', 'T-FC-FLIGHT@19']);
    const text = 'We never charge a joining fee. After training, pay the registration fee of $40.';
    expect(scan(text)).toEqual([`T-EF-FEE@${text.indexOf('registration fee')}`, `T-EF-FEE-LITERAL@${text.indexOf('joining fee')}`]);
  });

  it('are shown with --explain: the rule a denial held, its match in the original text and the cue', () => {
    const posting = (description: string): Posting => ({ id: 'p', source: { file: 't.csv', row: 2 }, fields: { description } });
    const text = 'Survey panel.  We will NEVER charge a joining fee.';
    const held = scorePosting(set, posting(text), { explain: true });
    expect(held.hits.map((hit) => hit.rule)).toEqual(['T-EF-FEE-LITERAL']);
    // T-EF-FEE-LITERAL is not negatable and hit; T-EF-FEE would have hit but for the denial.
    expect(held.denied).toEqual([
      expect.objectContaining({
        rule: 'T-EF-FEE',
        field: 'description',
        start: text.indexOf('joining fee'),
        end: text.indexOf('joining fee') + 11,
        match: 'joining fee',
        cue: 'NEVER',
      }),
    ]);
    // A rule switched off after running over its time is not run again to explain.
    expect(deniedHits(set, prepareFields(posting(text)), held.hits, { skip: new Set(['T-EF-FEE']) })).toEqual([]);
    // Without --explain, or when the rule found a match no denial holds, nothing is said.
    expect(scorePosting(set, posting(text)).denied).toBeUndefined();
    const asked = 'No joining fee. Pay the registration fee of $40.';
    expect(deniedHits(set, prepareFields(posting(asked)), evaluateRules(set, prepareFields(posting(asked))))).toEqual([]);
    expect(scorePosting(set, posting(asked), { explain: true }).denied).toBeUndefined();
  });

  it('refuse negatable on a legitimacy or combination rule, and anything but true or false', () => {
    const rule = (category: string, points: number, value: string) => `rules:
  - id: T-NEG-X
    title: x
    label: employment-fraud
    category: ${category}
    points: ${points}
    negatable: ${value}
    any: [{regex: 'x'}]
    references: [WIKI]
    examples: {match: ["x"], nomatch: ["y"]}
`;
    expect(parseRuleFile(rule('advance-fee', 2, 'false'), 'x.yaml').rules[0]!.negatable).toBe(false);
    expect(parseRuleFile(rule('legitimacy', -2, 'false'), 'x.yaml').problems).toEqual([]);
    for (const [category, points, value, message] of [
      ['legitimacy', -2, 'true', /not legitimacy or combination/],
      ['advance-fee', 2, 'sometimes', /true or false/],
    ] as const) {
      expect(parseRuleFile(rule(category, points, value), 'x.yaml').problems).toEqual([
        expect.objectContaining({ code: 'BAD_VALUE', field: 'negatable', message: expect.stringMatching(message) }),
      ]);
    }
  });
});
