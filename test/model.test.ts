// The naive-Bayes model: features, learning and relabelling, the file format and its errors,
// calibration, points, and the train / scan / eval commands on our own fixtures.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ATOMS } from '../src/model/atoms.js';
import { classOfTruth, parseLabelMap, truthOf } from '../src/contracts/labels.js';
import { postingLanguage } from '../src/lang/detect.js';
import {
  emptyModel,
  explainPrediction,
  finish,
  isAbstention,
  learn,
  loadScorer,
  ModelFormatError,
  parseModel,
  predict,
  predictIds,
  predictTokens,
  serializeModel,
  toScorer,
  type Abstention,
  type ModelOutput,
} from '../src/model/model.js';
import { DEFAULT_TOKENIZER, knownTokenIds, TokenizerState, tokenize, tokenizeToIds } from '../src/model/tokenize.js';
import { WordAtoms } from '../src/model/tokenizer-state.js';
import { adGroup, CalibrationSample, DEFAULT_FIT, fitOf, type FitOptions, type TrainingDoc } from '../src/model/train.js';
import { fitLogistic, fitPrepared, generator, keepStrongest, prepareLogistic, shuffle } from '../src/model/logistic.js';
import { fitJobsOnThreads } from '../src/run/fit-threads.js';
import { Vocabulary } from '../src/model/vocabulary.js';
import { calibrate, fitCalibration } from '../src/model/calibration.js';
import { modelAloneAt, modelPoints } from '../src/score/index.js';
import type { Verdict } from '../src/types.js';
import { readAllItems, runMain, tempDir, writeInput, jsonLines } from './helpers.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const fixture = (name: string): string => path.join(root, 'fixtures/postings', name);
const NB_FIT: FitOptions = fitOf('naive-bayes');
/** What the tokenizer keeps between postings, for the calls below (a scorer or `train` owns one in the product). */
const state = new TokenizerState();
const LABELLED = ['fc-en.csv', 'ef-en.csv', 'legit-en.csv', 'asia-multilingual.jsonl', 'listings.json'].map(fixture);

describe('tokenize', () => {
  it('stems English words, drops stopwords, and pairs neighbours', () => {
    const { features, script } = tokenize({ description: 'We are recruiting customers for the recruiting team' });
    expect(script).toBe('latin');
    expect(features.has('recruit')).toBe(true);
    expect(features.has('custom')).toBe(true);
    expect(features.has('the')).toBe(false);
    expect(features.has('recruit_custom')).toBe(true);
  });

  it('cuts Chinese into character bigrams and Thai into dictionary words', () => {
    const zh = tokenize({ description: '西港高薪客服' });
    expect(zh.script).toBe('han');
    expect([...zh.features.keys()]).toEqual(expect.arrayContaining(['西港', '港高', '高薪', '薪客', '客服']));
    const th = tokenize({ description: 'รับสมัครพนักงานทำงานที่กัมพูชา' });
    expect(th.script).toBe('thai');
    expect(th.features.has('กัมพูชา')).toBe(true);
  });

  it('adds the syllable pairs of longer Korean words, apart from words, unless the model predates them', () => {
    const ko = tokenize({ title: '해외 고수익 알바', description: '월 500 보장, 숙식 제공, 여권만 있으면 가능합니다' });
    expect(ko.script).toBe('other');
    // Words stay words, pairs of words stay pairs; a word of three or more syllables adds its pairs.
    for (const token of ['title:고수익', 'title:고수익_알바', '보장', '가능합니다', 'title:§ko:고수', 'title:§ko:수익', '§ko:가능', '§ko:니다'])
      expect(ko.features.has(token), token).toBe(true);
    // A two-syllable word gives no pair token, so the word 보장 and a pair 보장 never meet.
    expect(ko.features.has('§ko:보장')).toBe(false);
    expect(tokenize({ description: '보장합니다' }).features.has('§ko:보장')).toBe(true);
    const old = tokenize({ description: '여권만 있으면 가능합니다' }, { ...DEFAULT_TOKENIZER, hangul: undefined });
    expect([...old.features].sort()).toEqual(['가능합니다', '여권만', '여권만_있으면', '있으면', '있으면_가능합니다']);
  });

  it('keeps title words apart, and turns contacts and money into classes', () => {
    const { features } = tokenize({ title: 'Typist', description: 'Contact t.me/hr_jane or +855 12 345 678, salary $1,500 monthly, @recruit_boss' });
    expect(features.has('title:typist')).toBe(true);
    expect(features.has('typist')).toBe(false);
    for (const token of ['§telegram-link', '§phone', '§money', '§handle']) expect(features.has(token), token).toBe(true);
    expect(features.has('855')).toBe(false);
  });

  it('gives short fields a whole-value token, numbers as magnitudes, and skips ids and links', () => {
    const { features } = tokenize({ companyType: '未知', applyNum: '12', estiblishDate: '2015-03-01 00:00:00', jobDetailUrl: 'http://bj.58.com/x/123.shtml' });
    expect(features.has('companytype=未知')).toBe(true);
    expect(features.has('applynum#3')).toBe(true);
    expect(features.has('estiblishdate#y2015')).toBe(true);
    expect([...features.keys()].some((t) => t.includes('58'))).toBe(false);
  });
});

describe('answer-key values', () => {
  it('read the usual spellings and --label-map values one way for every command', () => {
    expect(truthOf('1')).toBe('fraud');
    expect(truthOf(' Legit ')).toBe('legit');
    expect(truthOf('Forced_Criminality')).toBe('forced-criminality');
    expect(truthOf('ham')).toBe('legit');
    expect(truthOf('benign')).toBe('legit');
    expect(truthOf('fc')).toBe('forced-criminality');
    expect(truthOf('0.5')).toBeUndefined();
    expect(truthOf('0.5', parseLabelMap('0.5=legit,2=forced-criminality'))).toBe('legit');
    expect(() => parseLabelMap('2=scammy')).toThrow(/value=label/);
  });

  it("train a binary key's fraud as employment fraud", () => {
    expect(classOfTruth('fraud')).toBe(1);
    expect(classOfTruth('legit')).toBe(0);
    expect(classOfTruth('forced-criminality')).toBe(2);
  });
});

/** The probabilities of a prediction the model did not abstain from. */
function probabilities(output: ModelOutput | Abstention): Record<string, number> {
  if (isAbstention(output)) throw new Error(`the model abstained: ${output.abstained}`);
  return output.probabilities;
}

/** The labelled fixtures, tokenized into one vocabulary that every model in these tests shares. */
async function fixtureDocs(vocabulary: Vocabulary) {
  const docs = [];
  for (const item of await readAllItems(LABELLED)) {
    if (item.kind !== 'posting') continue;
    const truth = truthOf(item.posting.label);
    if (truth === undefined) continue;
    const lang = postingLanguage(item.posting.fields).lang;
    docs.push({
      id: item.posting.id,
      ...tokenizeToIds(item.posting.fields, DEFAULT_TOKENIZER, vocabulary, state),
      label: classOfTruth(truth),
      group: item.posting.id,
      lang,
      fields: item.posting.fields,
    });
  }
  return docs;
}

describe('training tokens', async () => {
  it('are the tokens a scan sees, as vocabulary ids', async () => {
    const vocabulary = new Vocabulary();
    const items = await readAllItems([...LABELLED, fixture('mixed.tsv'), fixture('txt')]);
    let checked = 0;
    for (const item of items) {
      if (item.kind !== 'posting') continue;
      const strings = tokenize(item.posting.fields);
      const ids = tokenizeToIds(item.posting.fields, DEFAULT_TOKENIZER, vocabulary, state);
      expect(ids.script).toBe(strings.script);
      expect(new Set(ids.ids).size).toBe(ids.ids.length);
      expect(Array.from(ids.ids, (id) => vocabulary.tokens[id]).sort()).toEqual([...strings.features].sort());
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });

  // Words, pairs and Han/kana tokens go by numbers; the rest, and anything entered by string, by string.
  const tricky: Record<string, string>[] = [
    { title: 'Data entry ーー', description: 'データー入力 ーーー aーb 招聘abc工作 abc 12 招聘12 𠀀𠀁中 中 𠀀 x' },
    { description: 'รับสมัครพนักงาน Ελλάδα εργασία, typist typists typing; 月薪 $1,500 t.me/hr_jane' },
    { company: 'Golden Sands', title: 'Typist', description: 'Golden sands typist wanted. ーー 中文 abc_def' },
    { title: '고수익 알바', description: '해외 고수익 알바 보장합니다 보장 §ko:보장 숙식제공 1000만원 가능합니다' },
  ];

  it('get their ids in the order the string tokens first appear, whatever path each took', () => {
    const byIds = new Vocabulary();
    const byStrings = new Vocabulary();
    for (const fields of tricky) {
      const ids = tokenizeToIds(fields, DEFAULT_TOKENIZER, byIds, state).ids;
      expect(Array.from(ids)).toEqual(Array.from(byStrings.idsOf(tokenize(fields).features)));
    }
    expect(byIds.tokens).toEqual(byStrings.tokens);
    expect(new Set(byIds.tokens).size).toBe(byIds.size);
    expect(byIds.tokens).toEqual(expect.arrayContaining(['ーー', 'ー', 'abc', '中', '𠀀𠀁', 'title:typist', 'company:golden_sand', 'typist_typist']));
  });

  it('find tokens entered by string (a model file read back), and survive the atoms being forgotten', () => {
    const vocabulary = new Vocabulary();
    for (const token of tokenize(tricky[0]!).features) vocabulary.id(token);
    const size = vocabulary.size;
    tokenizeToIds(tricky[0]!, DEFAULT_TOKENIZER, vocabulary, state);
    expect(vocabulary.size).toBe(size);
    tokenizeToIds(tricky[1]!, DEFAULT_TOKENIZER, vocabulary, state);
    const grown = vocabulary.size;
    expect(grown).toBeGreaterThan(size);
    // Every atom forgotten: the numeric shortcuts start again, and the strings still find each token.
    ATOMS.clear();
    for (const fields of tricky.slice(0, 2)) tokenizeToIds(fields, DEFAULT_TOKENIZER, vocabulary, state);
    expect(vocabulary.size).toBe(grown);
    expect(new Set(vocabulary.tokens).size).toBe(vocabulary.size);
    const again = tokenizeToIds(tricky[1]!, DEFAULT_TOKENIZER, vocabulary, state).ids;
    expect(Array.from(again, (id) => vocabulary.tokens[id]).sort()).toEqual([...tokenize(tricky[1]!).features].sort());
  });

  it('keep their word cache within its bound, and start it over when the atoms are forgotten', () => {
    const words = new WordAtoms(2);
    words.set('a', 1);
    words.set('b', 2);
    words.set('c', 3);
    expect([words.size, words.get('a'), words.get('c')]).toEqual([1, undefined, 3]);
    const own = new TokenizerState();
    const vocabulary = new Vocabulary();
    const first = tokenizeToIds(tricky[2]!, DEFAULT_TOKENIZER, vocabulary, own).ids;
    expect(own.words.get('typist')).toBeGreaterThanOrEqual(0);
    ATOMS.clear();
    tokenizeToIds({ description: 'croupier wanted' }, DEFAULT_TOKENIZER, vocabulary, own);
    expect(own.words.get('typist')).toBeUndefined();
    expect(own.words.get('croupier')).toBeGreaterThanOrEqual(0);
    // Everything forgotten: the same posting still gets the same ids.
    own.clear();
    expect(own.words.size).toBe(0);
    expect(Array.from(tokenizeToIds(tricky[2]!, DEFAULT_TOKENIZER, vocabulary, own).ids)).toEqual(Array.from(first));
  });

  it('give a field value seen before (a company profile on each of its ads) the same ids and script again', () => {
    const profile = '深圳金沙科技有限公司 招聘打字员 telegram 联系';
    const repeated: Record<string, string>[] = [
      { title: 'Typist', companyIntro: profile, description: 'typist wanted, telegram' },
      { title: '打字员', companyIntro: profile },
      // Its words came first this time: the replayed ids must not repeat them.
      { description: '招聘打字员 telegram', companyIntro: profile, companyName: 'Golden Sands' },
      // Mostly Han only by the remembered profile's letters.
      { companyIntro: profile, title: 'Typist' },
    ];
    const byIds = new Vocabulary();
    const byStrings = new Vocabulary();
    for (const fields of repeated) {
      const got = tokenizeToIds(fields, DEFAULT_TOKENIZER, byIds, state);
      const want = tokenize(fields);
      expect(Array.from(got.ids)).toEqual(Array.from(byStrings.idsOf(want.features)));
      expect(got.script).toBe(want.script);
    }
    expect(tokenize(repeated[3]!).script).toBe('han');
    // A lookup remembered before the vocabulary grew must find the tokens it has learned since.
    const vocabulary = new Vocabulary();
    tokenizeToIds({ title: 'Typist' }, DEFAULT_TOKENIZER, vocabulary, state);
    const before = knownTokenIds({ companyIntro: profile }, DEFAULT_TOKENIZER, vocabulary, state).ids.length;
    tokenizeToIds({ companyIntro: profile }, DEFAULT_TOKENIZER, vocabulary, state);
    const after = knownTokenIds({ companyIntro: profile }, DEFAULT_TOKENIZER, vocabulary, state).ids;
    expect(before).toBe(0);
    expect(Array.from(after, (id) => vocabulary.tokens[id]).sort()).toEqual([...tokenize({ companyIntro: profile }).features].sort());
  });

  it('remember a token found missing only until the vocabulary grows, and add it when training', () => {
    const vocabulary = new Vocabulary();
    vocabulary.id('typist');
    const tokensOf = (ids: Int32Array): string[] => Array.from(ids, (id) => vocabulary.tokens[id]!).sort();
    expect(tokensOf(knownTokenIds({ description: 'casino typist 招聘' }, DEFAULT_TOKENIZER, vocabulary, state).ids)).toEqual(['typist']);
    vocabulary.id('casino');
    vocabulary.id('招聘');
    // Other values, so no field is answered from the per-value cache: the shortcuts alone decide.
    expect(tokensOf(knownTokenIds({ description: 'typist casino 招聘!' }, DEFAULT_TOKENIZER, vocabulary, state).ids)).toEqual(['casino', 'typist', '招聘']);
    expect(knownTokenIds({ description: 'croupier' }, DEFAULT_TOKENIZER, vocabulary, state).ids.length).toBe(0);
    const added = tokenizeToIds({ description: 'croupier 招工' }, DEFAULT_TOKENIZER, vocabulary, state).ids;
    expect(tokensOf(added)).toEqual(['croupier', '招工']);
  });

  it('look up without adding for a model trained in this process, and score as the strings do', async () => {
    const vocabulary = new Vocabulary();
    const docs = await fixtureDocs(vocabulary);
    const model = emptyModel(DEFAULT_TOKENIZER, DEFAULT_FIT, 100_000, vocabulary);
    learn(model, docs);
    await finish(model, docs);
    const scorer = toScorer(model);
    const size = vocabulary.size;
    let compared = 0;
    for (const fields of [...tricky, ...docs.slice(0, 40).map((d) => d.fields)]) {
      const known = knownTokenIds(fields, DEFAULT_TOKENIZER, vocabulary, state);
      expect(Array.from(known.ids).every((id) => id < size)).toBe(true);
      const output = predictIds(scorer, known);
      // The tricky inputs are mostly unknown tokens: the model abstains on them (see below).
      if (isAbstention(output)) continue;
      expect(output.probabilities).toEqual(predictTokens(scorer, tokenize(fields)).probabilities);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(40);
    expect(vocabulary.size).toBe(size);
  });
});

describe('learning, relabelling and the model file', async () => {
  const vocabulary = new Vocabulary();
  const docs = await fixtureDocs(vocabulary);

  it('learns each id once and moves a relabelled one to its new class', () => {
    const model = emptyModel(DEFAULT_TOKENIZER, DEFAULT_FIT, 100_000, vocabulary);
    const first = learn(model, docs);
    expect(first).toEqual({ added: docs.length, moved: 0, unchanged: 0 });
    const before = toScorer(model).documents;
    expect(learn(model, docs.slice(0, 10))).toEqual({ added: 0, moved: 0, unchanged: 10 });
    expect(toScorer(model).documents).toEqual(before);
    const doc = docs.find((d) => d.label === 2)!;
    expect(learn(model, [{ ...doc, label: 0 }])).toEqual({ added: 0, moved: 1, unchanged: 0 });
    const after = toScorer(model).documents;
    expect(after[0]).toBe(before[0]! + 1);
    expect(after[2]).toBe(before[2]! - 1);
  });

  it.each([
    ['logistic', DEFAULT_FIT],
    ['naive-bayes', NB_FIT],
  ])('writes the same bytes for the same training, and reads back what it wrote (%s)', async (kind, fit) => {
    const write = async (threads?: number): Promise<string> => {
      const model = emptyModel(DEFAULT_TOKENIZER, fit, 100_000, vocabulary);
      learn(model, docs);
      await finish(model, docs, [], threads !== undefined ? { fitJobs: fitJobsOnThreads(threads) } : {});
      model.trainedOn = '2026-01-01';
      return serializeModel(model);
    };
    const text = await write();
    expect(await write()).toBe(text);
    // The logistic kind's fits on two threads (model/fit-threads.ts): the same weights, bit for bit.
    expect(await write(2)).toBe(text);
    expect(serializeModel(parseModel(text))).toBe(text);
    expect(JSON.parse(text).fit.kind).toBe(kind);
    expect(JSON.parse(text).weights !== undefined).toBe(kind === 'logistic');
    const { scorer } = loadScorer(text);
    expect(scorer.untrusted).toBeUndefined();
    const lure = docs.find((d) => d.label === 2)!;
    const p = probabilities(predict(scorer, lure.fields));
    expect(p.legit! + p['employment-fraud']! + p['forced-criminality']!).toBeCloseTo(1, 3);
    expect(p['forced-criminality']).toBeGreaterThan(p.legit!);
    // The file's parts share one vocabulary; a language without a part of its own (every one here:
    // the fixtures are too few for a part) is scored by the whole model, whose tokens that
    // vocabulary must hold from the start. Same as the model in memory.
    const inMemory = toScorer(parseModel(text));
    expect(scorer.byPart.size).toBe(0);
    // Each scorer tokenizes with a state of its own.
    expect(inMemory.tokenizerState).not.toBe(scorer.tokenizerState);
    expect(loadScorer(text).scorer.tokenizerState).not.toBe(scorer.tokenizerState);
    for (const doc of docs) {
      const loaded = predict(scorer, doc.fields, { lang: doc.lang });
      const reference = predict(inMemory, doc.fields, { lang: doc.lang });
      expect(loaded).toEqual(expect.objectContaining(isAbstention(reference) ? reference : { probabilities: reference.probabilities }));
      if (!isAbstention(loaded) && !isAbstention(reference))
        expect(explainPrediction(loaded, 'employment-fraud')).toEqual(explainPrediction(reference, 'employment-fraud'));
    }
  });

  it('rejects damaged or foreign model files with a reason', async () => {
    const fitted = async (fit: FitOptions): Promise<any> => {
      const model = emptyModel(DEFAULT_TOKENIZER, fit, 100_000, vocabulary);
      learn(model, docs);
      await finish(model, docs);
      return JSON.parse(serializeModel(model));
    };
    const good = await fitted(NB_FIT);
    const logistic = await fitted(DEFAULT_FIT);
    const bad = (mutate: (json: any) => void, from = good): string => {
      const copy = structuredClone(from);
      mutate(copy);
      return JSON.stringify(copy);
    };
    expect(() => loadScorer('{"format": "lurescan-naive-bayes", "vers')).toThrow(/not JSON/);
    expect(() => loadScorer(bad((j) => (j.format = 'other')))).toThrow(/not a lurescan model/);
    expect(() => loadScorer(bad((j) => (j.version = 99)))).toThrow(/version 99 is not supported/);
    expect(() => loadScorer(bad((j) => j.partitions.rest.counts[1].pop()))).toThrow(/do not line up/);
    expect(() => loadScorer(bad((j) => (j.partitions.rest.counts[0][3] = -1)))).toThrow(ModelFormatError);
    expect(() => loadScorer(bad((j) => (j.languages.en = [1, 2])))).toThrow(/language counts for `en` are damaged/);
    expect(() => loadScorer(bad((j) => (j.calibration.all.shares = [0.5, 2, 0])))).toThrow(/calibration `all` is damaged/);
    expect(() => loadScorer(bad((j) => j.weights.values[2].pop(), logistic))).toThrow(/forced-criminality values do not line up/);
    expect(() => loadScorer(bad((j) => (j.weights.values[0][5] = 'x'), logistic))).toThrow(/bad legit value for token/);
    expect(() => loadScorer(bad((j) => delete j.weights, logistic))).toThrow(/kind logistic has no `weights`/);
    expect(() => loadScorer(bad((j) => (j.fit.kind = 'forest'), logistic))).toThrow(/kind "forest" is not logistic or naive-bayes/);
    expect(() => loadScorer(bad((j) => (j.weights = logistic.weights)))).toThrow(/has `weights` but is not of kind logistic/);
    // Tokenizer settings: version 2 names how Korean is cut; version 1 files (before it) do not.
    expect(() => loadScorer(bad((j) => (j.tokenizer.version = 3)))).toThrow(/tokenizer version 3 is not supported/);
    expect(() => loadScorer(bad((j) => delete j.tokenizer.hangul))).toThrow(/tokenizer settings are incomplete/);
    expect(() => loadScorer(bad((j) => (j.tokenizer.version = 1)))).toThrow(/tokenizer settings are incomplete/);
    const v1 = loadScorer(
      bad((j) => {
        j.tokenizer.version = 1;
        delete j.tokenizer.hangul;
      }),
    ).scorer;
    expect(v1.tokenizer.hangul).toBeUndefined();
    expect(tokenize({ description: '가능합니다' }, v1.tokenizer).features.has('§ko:가능')).toBe(false);
  });

  it('calibrates the whole model apart for each language too small for a part of its own', async () => {
    // The fixtures counted as Khmer, and copies of their legitimate ads and job scams as Lao: neither
    // language is big enough for a part of its own (300), each is for a calibration (150).
    const relabelled = [
      ...docs.map((d) => ({ ...d, lang: 'km' })),
      ...docs.filter((d) => d.label !== 2).map((d) => ({ ...d, id: `${d.id}~lo`, group: `${d.group}~lo`, lang: 'lo' })),
    ];
    const model = emptyModel(DEFAULT_TOKENIZER, NB_FIT, 100_000, new Vocabulary());
    const own = relabelled.map((d) => ({ ...d, ...tokenizeToIds(d.fields, DEFAULT_TOKENIZER, model.vocabulary, state) }));
    learn(model, own);
    await finish(model, own);
    expect([...model.calibrations.keys()].sort()).toEqual(['all', 'all@km', 'all@lo']);
    expect(model.calibrations.get('all@km')).not.toEqual(model.calibrations.get('all'));
    const shares = model.calibrations.get('all@km')!.shares!;
    const km = own.filter((d) => d.lang === 'km');
    expect(shares[2]).toBeCloseTo(km.filter((d) => d.label === 2).length / km.length, 4);
    const text = serializeModel(model);
    const { scorer } = loadScorer(text);
    const lure = own.find((d) => d.label === 2 && d.lang === 'km')!;
    const asKhmer = predict(scorer, lure.fields, { lang: 'km' }) as ModelOutput;
    const asOther = predict(scorer, lure.fields) as ModelOutput;
    expect(asKhmer.classifier.calibration).toEqual(model.calibrations.get('all@km'));
    expect(asOther.classifier.calibration).toEqual(model.calibrations.get('all'));
    const differ = own
      .filter((d) => d.lang === 'km')
      .filter(
        (d) =>
          JSON.stringify((predict(scorer, d.fields, { lang: 'km' }) as ModelOutput).probabilities) !==
          JSON.stringify((predict(scorer, d.fields) as ModelOutput).probabilities),
      );
    expect(differ.length).toBeGreaterThan(10);
    // An update with too few postings of a language keeps that language's calibration.
    const before = model.calibrations.get('all@km');
    const update = own.filter((d) => d.lang === 'lo').map((d) => ({ ...d, id: `${d.id}~u`, group: `${d.group}~u` }));
    learn(model, update);
    await finish(model, update);
    expect(model.calibrations.get('all@km')).toBe(before);
    expect(model.calibrations.get('all@lo')).toBeDefined();
    // A damaged or unknown key is refused like any other calibration.
    const json = JSON.parse(text);
    json.calibration['all@../x'] = json.calibration.all;
    expect(() => loadScorer(JSON.stringify(json))).toThrow(/unknown part `all@..\/x`/);
  });

  it('says a model learned from too few documents is not to be trusted', async () => {
    const model = emptyModel(DEFAULT_TOKENIZER, DEFAULT_FIT, 100_000, vocabulary);
    const few = docs
      .filter((d) => d.label !== 0)
      .slice(0, 30)
      .concat(docs.filter((d) => d.label === 0).slice(0, 5));
    learn(model, few);
    await finish(model, few);
    expect(toScorer(model).untrusted).toMatch(/legit documents \(fewer than 20\)|fewer than 100/);
  });
});

describe('the logistic fit', () => {
  // Token 0 says lure, token 1 says legit, token 2 is in every document, token 3 is not held.
  const docs = Array.from({ length: 60 }, (_, i) => {
    const label = i % 3 === 0 ? 2 : 0;
    const ids = label === 2 ? [0, 2, 3] : i % 2 === 0 ? [1, 2, 3] : [2];
    return { ids, label, key: `doc-${i}` };
  });
  const held = (id: number): boolean => id !== 3;

  it('weighs a token by what it adds: the lure token for lures, the shared token for neither', () => {
    const { table, bias } = fitLogistic(docs, 4, held);
    const weight = (id: number, c: number): number => table[id * 3 + c]!;
    expect(weight(0, 2) - weight(0, 0)).toBeGreaterThan(1);
    expect(weight(1, 0) - weight(1, 2)).toBeGreaterThan(0.5);
    expect(Math.abs(weight(2, 2) - weight(2, 0))).toBeLessThan(Math.abs(weight(0, 2) - weight(0, 0)));
    expect(Number.isNaN(weight(3, 0))).toBe(true);
    expect(bias).toHaveLength(3);
  });

  it('averages the weights over the passes from `averageFrom`: the mean of the weights before each step', () => {
    // A dense reference: every weight added up before every step of the averaged passes, the same
    // shuffles (the fit's seed) and the same updates as the fit, which keeps the sum lazily.
    const options = { l2: 0.003, epochs: 4, rate: 0.1, averageFrom: 2 };
    const prepared = prepareLogistic(docs, 4, held);
    const fitted = fitPrepared(prepared.docs, prepared, options);
    const table = new Float64Array(4 * 3);
    const bias = [0, 0, 0];
    const total = new Float64Array(4 * 3);
    const biasTotal = [0, 0, 0];
    let steps = 0;
    const order = Int32Array.from(prepared.docs, (_, i) => i);
    const random = generator(0x1ce5ca7);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      shuffle(order, random);
      const eta = options.rate / (1 + epoch * 0.2);
      for (const index of order) {
        const doc = prepared.docs[index]!;
        if (epoch >= options.averageFrom) {
          for (let i = 0; i < total.length; i++) total[i] = total[i]! + table[i]!;
          for (let c = 0; c < 3; c++) biasTotal[c] = biasTotal[c]! + bias[c]!;
          steps++;
        }
        const z = [0, 1, 2].map((c) => bias[c]! + [...doc.ids].reduce((sum, id) => sum + table[id * 3 + c]!, 0));
        const max = Math.max(...z);
        const e = z.map((v) => Math.exp(v - max));
        const g = e.map((v, c) => v / (e[0]! + e[1]! + e[2]!) - (doc.label === c ? 1 : 0));
        for (let c = 0; c < 3; c++) bias[c] = bias[c]! - eta * g[c]!;
        for (const id of doc.ids) for (let c = 0; c < 3; c++) table[id * 3 + c] = table[id * 3 + c]! * (1 - eta * options.l2) - eta * g[c]!;
      }
    }
    for (let id = 0; id < 3; id++) for (let c = 0; c < 3; c++) expect(fitted.table[id * 3 + c]).toBeCloseTo(total[id * 3 + c]! / steps, 5);
    for (let c = 0; c < 3; c++) expect(fitted.bias[c]).toBeCloseTo(biasTotal[c]! / steps, 5);
    // Not the last step's weights: those are what a fit without averaging gives.
    const last = fitPrepared(prepared.docs, prepared, { ...options, averageFrom: undefined });
    for (let c = 0; c < 3; c++) expect(last.table[c]).toBeCloseTo(table[c]!, 5);
    expect(Math.abs(fitted.table[0]! - last.table[0]!)).toBeGreaterThan(1e-4);
  });

  it('gives the same weights whatever order the documents come in', () => {
    const a = fitLogistic(docs, 4, held);
    const b = fitLogistic([...docs].reverse(), 4, held);
    expect([...b.table]).toEqual([...a.table]);
    expect(b.bias).toEqual(a.bias);
  });

  it('caps the vocabulary to the tokens whose weights tell the classes apart', () => {
    // Token 0 leans to lures, 1 a little to legit, 2 adds the same large weight to every class
    // (it changes no probability), 3 is not held, 4 ties with 1 and loses on its token.
    const table = Float64Array.from([-1, 0, 2, 0.4, 0, 0, 3, 3, 3, NaN, NaN, NaN, 0.4, 0, 0]);
    const fitted = { bias: [0.1, 0.2, -0.3], table };
    const tokens = ['lure', 'b-legit', 'shared', 'unheld', 'c-legit'];
    const kept = keepStrongest(fitted, 2, tokens);
    const isKept = (id: number): boolean => !Number.isNaN(kept.table[id * 3]!);
    expect([0, 1, 2, 3, 4].filter(isKept)).toEqual([0, 1]);
    expect([...kept.table.subarray(0, 6)]).toEqual([-1, 0, 2, 0.4, 0, 0]);
    expect(kept.bias).toEqual(fitted.bias);
    expect([...fitted.table.subarray(6, 9)]).toEqual([3, 3, 3]);
    // Under the cap, nothing changes.
    expect(keepStrongest(fitted, 4, tokens)).toBe(fitted);
  });
});

describe('folds', () => {
  it('keep re-posted copies together, and every posting of one writing batch', () => {
    const a = { title: 'Typist', description: 'Free flight to Bavet' };
    const b = { title: 'Cook', description: 'Hotel kitchen in Siem Reap' };
    expect(adGroup(a)).toBe(adGroup({ ...a }));
    expect(adGroup(a)).not.toBe(adGroup(b));
    expect(adGroup(a, { batch: 'km-4', lang: 'km' })).toBe(adGroup(b, { batch: 'km-4' }));
    expect(adGroup(a, { batch: 'km-4' })).not.toBe(adGroup(a, { batch: 'km-5' }));
    expect(adGroup(a, { lang: 'km' })).toBe(adGroup(a));
  });
});

describe('the calibration sample', () => {
  // 300 ad groups, each posted 1 to 3 times, 10 token ids a posting.
  const docs: TrainingDoc[] = [];
  for (let g = 0; g < 300; g++)
    for (let copy = 0; copy <= g % 3; copy++) docs.push({ id: `${g}-${copy}`, ids: new Int32Array(10), label: g % 2, group: `group-${g}` });
  const groupsOf = (kept: TrainingDoc[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const doc of kept) counts.set(doc.group, (counts.get(doc.group) ?? 0) + 1);
    return counts;
  };

  it('keeps every posting, in order, while their ids fit', () => {
    const sample = new CalibrationSample<TrainingDoc>(docs.length * 10);
    for (const doc of docs) sample.add(doc);
    expect(sample.sampled).toBe(false);
    expect(sample.docs).toEqual(docs);
  });

  it('past the bound, keeps whole groups within it, the same ones whatever the order', () => {
    const budget = 2000;
    const forward = new CalibrationSample<TrainingDoc>(budget);
    for (const doc of docs) forward.add(doc);
    const backward = new CalibrationSample<TrainingDoc>(budget);
    for (const doc of [...docs].reverse()) backward.add(doc);
    expect(forward.sampled).toBe(true);
    expect(forward.offered).toBe(docs.length);
    const kept = forward.docs;
    expect(kept.length * 10).toBeLessThanOrEqual(budget);
    // A bound halved once too often would keep far fewer.
    expect(kept.length * 10).toBeGreaterThan(budget / 4);
    expect(new Set(backward.docs.map((d) => d.id))).toEqual(new Set(kept.map((d) => d.id)));
    // Every copy of a kept group is kept: no posting is scored beside its own copy.
    const all = groupsOf(docs);
    for (const [group, n] of groupsOf(kept)) expect(n).toBe(all.get(group));
    // Read order is kept.
    expect(kept.map((d) => docs.indexOf(d))).toEqual([...kept.map((d) => docs.indexOf(d))].sort((a, b) => a - b));
  });
});

describe('calibration', () => {
  it('recovers the scale and biases behind labels drawn from a known softmax', () => {
    const truth = { scale: 0.5, bias: [0, -1, 0.5], lengthPower: 0 };
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
    const points = Array.from({ length: 20_000 }, () => {
      const raw = { logScores: [0, random() * 8 - 4, random() * 8 - 4], known: 1 };
      const p = calibrate(raw, truth);
      const u = random();
      return { raw, label: u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2 };
    });
    const fitted = fitCalibration(points, [0]);
    // 20,000 draws: sampling error is a few hundredths.
    expect(Math.abs(fitted.scale - truth.scale)).toBeLessThan(0.05);
    expect(Math.abs(fitted.bias[1]! - truth.bias[1]!)).toBeLessThan(0.15);
    expect(Math.abs(fitted.bias[2]! - truth.bias[2]!)).toBeLessThan(0.15);
  });

  it('leaves the bias of a class with no documents at 0', () => {
    const points = Array.from({ length: 400 }, (_, i) => ({ raw: { logScores: [0, (i % 20) - 10, -5], known: 1 }, label: i % 20 > 12 ? 1 : 0 }));
    const fitted = fitCalibration(points);
    expect(fitted.bias[2]).toBe(0);
    expect(fitted.scale).toBeGreaterThan(0);
  });
});

describe('model points', () => {
  const config = { from: 0.2, alone: 0.6, max: 4 };
  it('adds nothing below from, up to max between, and the whole threshold at alone', () => {
    expect(modelPoints(0.1, config, 6)).toBe(0);
    expect(modelPoints(0.4, config, 6)).toBe(2);
    expect(modelPoints(0.59, config, 6)).toBeLessThan(4);
    expect(modelPoints(0.6, config, 6)).toBe(6);
  });

  it('adds up the points of every learned level the probability reaches', () => {
    const levels = {
      levels: [
        { at: 0.5, points: 1.5 },
        { at: 0.8, points: 2 },
        { at: 0.95, points: 4 },
      ],
    };
    expect(modelPoints(0.49, levels, 8)).toBe(0);
    expect(modelPoints(0.5, levels, 8)).toBe(1.5);
    expect(modelPoints(0.9, levels, 8)).toBe(3.5);
    expect(modelPoints(0.99, levels, 8)).toBe(7.5);
    expect(modelAloneAt(levels, 8)).toBeUndefined();
    expect(modelAloneAt(levels, 7.5)).toBe(0.95);
    expect(modelAloneAt(config, 6)).toBe(0.6);
  });

  it('takes away the hand-set points of every level the probability is under', () => {
    const levels = {
      levels: [
        { at: 0.05, points: 3 },
        { at: 0.5, points: 5 },
      ],
      below: [
        { at: 0.001, points: -2 },
        { at: 0.01, points: -8 },
      ],
    };
    expect(modelPoints(0.0005, levels, 8)).toBe(-10);
    expect(modelPoints(0.005, levels, 8)).toBe(-8);
    expect(modelPoints(0.01, levels, 8)).toBe(0);
    expect(modelPoints(0.05, levels, 8)).toBe(3);
    expect(modelPoints(0.6, levels, 8)).toBe(8);
    expect(modelAloneAt(levels, 8)).toBe(0.5);
  });
});

const lines = (stdout: string): Verdict[] => jsonLines<Verdict>(stdout);

describe('lurescan train, scan --model, eval', () => {
  const dir = tempDir('lurescan-model-');
  const modelFile = path.join(dir, 'model.json');

  it('trains a model file, byte for byte the same on a second run', async () => {
    // The fixtures hold fewer than 100 legitimate postings in any language: lower the gate so the model judges English.
    const first = await runMain(['train', ...LABELLED, '--out', modelFile, '--date', '2026-01-01', '--min-language-legit', '20', '--min-language-label', '20']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/learned 297 labelled postings: 297 new/);
    const bytes = readFileSync(modelFile, 'utf8');
    const again = path.join(dir, 'again.json');
    await runMain(['train', ...LABELLED, '--out', again, '--date', '2026-01-01', '--min-language-legit', '20', '--min-language-label', '20']);
    expect(readFileSync(again, 'utf8')).toBe(bytes);
    const json = JSON.parse(bytes);
    expect(json.trainedOn).toBe('2026-01-01');
    expect(json.training.documents).toEqual([116, 68, 113]);
    expect(json.gate.minLanguageLegit).toBe(20);
    expect(json.languages.en[0]).toBeGreaterThan(20);
  });

  it('counts a posting under the language its input states (meta.lang), else as detected', async () => {
    const rows = [
      { id: 't1', label: 'legit', description: 'Hiring warehouse staff in Pasig, with SSS and PhilHealth, apply at the office', meta: { lang: 'tl' } },
      { id: 't2', label: 'employment-fraud', description: 'Part time job from home, pay the registration fee first via GCash', meta: { lang: 'tl' } },
      { id: 'e1', label: 'legit', description: 'Hiring warehouse staff in Manchester, apply at the office with your CV' },
    ];
    const file = writeInput(dir, 'stated.jsonl', `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    const out = path.join(dir, 'stated.json');
    const result = await runMain(['train', file, '--out', out, '--date', '2026-01-01']);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.languages.tl).toEqual([1, 1, 0]);
    expect(json.languages.en).toEqual([1, 0, 0]);
  });

  it('updates a naive-Bayes model: known ids are not counted twice, relabelled ones move; a logistic one is refused', async () => {
    const updated = path.join(dir, 'updated.json');
    const relabel = writeInput(dir, 'relabel.csv', 'id,title,description,label\nlegit-en-001,x,y,employment-fraud\nlegit-en-002,x,y,legit\n');
    const refused = await runMain(['train', relabel, '--update', modelFile, '--out', updated]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/model is of kind logistic.*--kind naive-bayes/);
    expect(existsSync(updated)).toBe(false);
    const bogus = await runMain(['train', relabel, '--kind', 'forest', '--out', updated]);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/--kind must be one of logistic, naive-bayes \(got `forest`\)/);
    const nb = path.join(dir, 'nb.json');
    expect((await runMain(['train', ...LABELLED, '--kind', 'naive-bayes', '--out', nb, '--date', '2026-01-01'])).code).toBe(0);
    const result = await runMain(['train', relabel, '--update', nb, '--out', updated]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/2 labelled postings: 0 new, 1 moved to a new label, 1 already learned/);
    expect(JSON.parse(readFileSync(updated, 'utf8')).training.documents).toEqual([115, 69, 113]);
  });

  it('names rows it cannot learn from and warns about thin classes', async () => {
    const file = writeInput(dir, 'odd.csv', 'id,description,verdict\na,"Pay a fee first",scam\nb,"Nurse wanted",maybe\nc,"Driver",\n');
    const result = await runMain(['train', file, '--label', 'verdict', '--out', path.join(dir, 'odd.json')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/skipped 1: label `maybe` is not one we read .*--label-map/);
    expect(result.stderr).toMatch(/skipped 1: no value in column `verdict`/);
    expect(result.stderr).toMatch(/scans will not use this model/);
  });

  it('scores with the model: probabilities in every verdict, points where it is sure, tokens with --explain', async () => {
    const result = await runMain(['scan', '--jobs', '0', fixture('fc-en.csv'), '--model', modelFile, '--explain', '--format', 'jsonl']);
    expect(result.code, result.stderr).toBe(0);
    const verdicts = lines(result.stdout);
    const judged = verdicts.filter((v) => v.model?.probabilities);
    expect(verdicts.every((v) => v.lang === 'en' && (v.model?.abstained !== undefined) !== (v.model?.probabilities !== undefined))).toBe(true);
    expect(judged.length).toBeGreaterThan(verdicts.length * 0.9);
    expect(judged.every((v) => Math.abs(Object.values(v.model!.probabilities!).reduce((a, b) => a + b, 0) - 1) < 0.01)).toBe(true);
    expect(judged.filter((v) => v.model?.label === 'forced-criminality').length).toBeGreaterThan(judged.length * 0.8);
    expect(verdicts.some((v) => (v.model?.points?.['forced-criminality'] ?? 0) > 0)).toBe(true);
    expect(verdicts[0]!.model!.tokens!.for.length).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/model: .*model\.json \(legit 116, employment-fraud 68, forced-criminality 113; trained 2026-01-01/);
    const rulesOnly = await runMain(['scan', '--jobs', '0', fixture('fc-en.csv'), '--no-model']);
    expect(lines(rulesOnly.stdout).every((v) => v.model === undefined)).toBe(true);
    expect(rulesOnly.stderr).toMatch(/model: none/);
  });

  it('abstains on a language it learned too few legitimate postings in, and says why in the verdict and the summary', async () => {
    const file = writeInput(
      dir,
      'ko.jsonl',
      `${JSON.stringify({ id: 'ko-1', title: '캄보디아 고수익 해외 취업', description: '항공권 지원, 숙식 제공, 경력 무관. 텔레그램으로 연락주세요. 월 500만원 이상 보장합니다.' })}\n${JSON.stringify({ id: 'en-1', title: 'Customer service', description: 'Free flight and visa to Sihanoukville, contact us on Telegram, salary 1500 USD, no experience' })}\n`,
    );
    const result = await runMain(['scan', '--jobs', '0', file, '--model', modelFile, '--format', 'jsonl']);
    expect(result.code, result.stderr).toBe(0);
    const [ko, en] = lines(result.stdout);
    expect(ko!.lang).toBe('ko');
    expect(ko!.model).toEqual({ abstained: expect.stringMatching(/^language ko: the model learned from 0 legitimate posting\(s\) in it \(it needs 20\)/) });
    expect(en!.model?.probabilities).toBeDefined();
    expect(result.stderr).toMatch(/the model abstained on 1 posting\(s\), scored by the rules alone \(language ko 1;/);
    expect(result.stderr).toMatch(/languages: en 1, ko 1/);
  });

  it('adds points only for a label it learned enough postings of in the language, and says which it withholds', async () => {
    const json = JSON.parse(readFileSync(modelFile, 'utf8'));
    const [, scams, lures] = json.languages.en as [number, number, number];
    expect(lures).toBeGreaterThan(scams);
    const strict = path.join(dir, 'strict.json');
    // Between the two: English lures pass, English scams do not.
    const between = String(Math.floor((scams + lures) / 2));
    const trained = await runMain([
      'train',
      ...LABELLED,
      '--out',
      strict,
      '--date',
      '2026-01-01',
      '--min-language-legit',
      '20',
      '--min-language-label',
      between,
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    const result = await runMain(['scan', '--jobs', '0', fixture('ef-en.csv'), '--model', strict, '--format', 'jsonl']);
    const judged = lines(result.stdout).filter((v) => v.model?.probabilities);
    expect(judged.length).toBeGreaterThan(0);
    for (const v of judged) {
      expect(v.model!.judges).toEqual(['forced-criminality']);
      expect(v.model!.withheld).toMatch(/^employment-fraud: the model learned too few such postings in en/);
      expect(v.model!.points?.['employment-fraud']).toBeUndefined();
    }
  });

  it('states probabilities for the base rates asked for: a higher fraud share raises them', async () => {
    const file = writeInput(
      dir,
      'base.jsonl',
      `${JSON.stringify({ id: 'b-1', title: 'Data entry from home', description: 'Pay a registration fee of USD 50 to start, earn USD 500 a week typing at home, no experience needed, contact on WhatsApp' })}\n`,
    );
    const at = async (rate: string): Promise<number> => {
      const result = await runMain(['scan', '--jobs', '0', file, '--model', modelFile, '--format', 'jsonl', '--base-rate', `employment-fraud=${rate}`]);
      expect(result.code, result.stderr).toBe(0);
      return lines(result.stdout)[0]!.model!.probabilities!['employment-fraud']!;
    };
    const low = await at('0.01');
    const high = await at('0.5');
    expect(high).toBeGreaterThan(low);
    // Odds scale with the base rate's odds (Saerens et al.): 0.5 against 0.01 is 99 times.
    const odds = (p: number): number => p / (1 - p);
    expect(odds(high) / odds(low)).toBeGreaterThan(20);
    const bad = await runMain(['scan', file, '--base-rate', 'employment-fraud=2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--base-rate: base rate of employment-fraud must be a probability between 0 and 1/);
  });

  it('leaves out a model too small to trust and says so', async () => {
    const result = await runMain(['scan', '--jobs', '0', fixture('fc-en.csv'), '--model', path.join(dir, 'odd.json')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/NOT USED, too small to trust/);
    expect(lines(result.stdout).every((v) => v.model === undefined)).toBe(true);
  });

  it('exits 2 naming a missing or damaged model file', async () => {
    const missing = await runMain(['scan', fixture('fc-en.csv'), '--model', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read model .*nope\.json: ENOENT/);
    const damaged = writeInput(dir, 'damaged.json', readFileSync(modelFile, 'utf8').slice(0, 5000));
    const result = await runMain(['scan', fixture('fc-en.csv'), '--model', damaged]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/model .*damaged\.json: not JSON/);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('evaluates rules, model and both, with k-fold cross-validation', async () => {
    const result = await runMain(['eval', ...LABELLED, '--folds', '3', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.documents).toBe(297);
    expect(report.truth).toEqual({ legit: 116, 'employment-fraud': 68, 'forced-criminality': 113 });
    for (const system of ['rules', 'model', 'combined']) {
      const fraud = report.systems[system].metrics.any;
      expect(fraud.tp + fraud.fn).toBe(181);
      expect(fraud.legit).toBe(116);
      expect(fraud.fpr).toBe(Math.round((fraud.legitFlagged / 116) * 10000) / 10000);
      const confusion: number[][] = report.systems[system].confusion;
      expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(297);
    }
    expect(report.systems.combined.metrics.any.recall).toBeGreaterThanOrEqual(report.systems.model.metrics.any.recall);
    expect(report.modelThresholds).toHaveLength(9);
    // Per language: the groups add up to the whole.
    expect(report.groups.reduce((n: number, g: { documents: number }) => n + g.documents, 0)).toBe(297);
    expect(report.groups.map((g: { group: string }) => g.group)).toEqual(expect.arrayContaining(['en', 'zh-Hans', 'th', 'vi']));
    const table = await runMain(['eval', fixture('mixed.tsv'), '--no-model']);
    expect(table.stdout).toMatch(/rules only\s+fraud \(either label\)/);
    expect(table.stdout).toMatch(/by lang/);
  });
});
