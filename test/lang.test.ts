import { describe, expect, it } from 'vitest';
import { detectLanguage, languageGroup, postingLanguage } from '../src/lang/detect.js';

describe('detectLanguage', () => {
  it.each([
    ['Customer service representative needed, free flight and visa, contact us on Telegram for details', 'en'],
    ['Se busca teleoperador con inglés para trabajar en Tailandia, pasaje pagado, alojamiento incluido', 'es'],
    ['Tuyển nhân viên chăm sóc khách hàng làm việc tại Campuchia, bao ăn ở, liên hệ zalo', 'vi'],
    ['Lowongan kerja di Kamboja, gaji besar, tiket pesawat ditanggung perusahaan, tidak perlu pengalaman', 'id'],
    ['Kerja kosong di syarikat kami, gaji lumayan, tiket percuma, sila hubungi kami jika berminat', 'ms'],
    ['Hiring CSR, libre ang ticket at tirahan, hindi na kailangan ng experience, para sa mga interesado', 'tl'],
    ['Nafasi za kazi Thailand, tiketi ya ndege bure, mshahara mzuri, wasiliana nasi kupitia WhatsApp', 'sw'],
    ['Работа в Таиланде, оператор колл-центра, билеты и проживание за счет компании', 'ru'],
    ['दुबई में डेटा एंट्री की नौकरी, वीजा और टिकट फ्री, सैलरी एक लाख से ऊपर, व्हाट्सएप पर संपर्क करें', 'hi'],
    ['थाइल्यान्डमा कम्प्युटर अपरेटरको काम, भिसा र टिकट निःशुल्क, मासिक तलब एक लाखभन्दा बढी', 'ne'],
    ['থাইল্যান্ডে ডাটা এন্ট্রির চাকরি, ভিসা ও টিকিট ফ্রি', 'bn'],
    ['西港高薪招聘客服，包吃包住，月入过万', 'zh-Hans'],
    ['西港高薪招聘客服，包吃包住，月入過萬，機票報銷', 'zh-Hant'],
    ['カンボジアで高収入の仕事、渡航費無料、テレグラムで連絡してください', 'ja'],
    ['캄보디아 고수익 해외 취업, 항공권 지원, 숙식 제공', 'ko'],
    ['รับสมัครแอดมินออนไลน์ มีที่พักและอาหารให้', 'th'],
    ['ວຽກເຮັດງານທຳຢູ່ເຂດເສດຖະກິດພິເສດ ເງິນເດືອນສູງ', 'lo'],
    ['ការងារនៅប្រទេសថៃ ប្រាក់ខែខ្ពស់', 'km'],
    ['ထိုင်းနိုင်ငံတွင် အလုပ်ရှိသည် လစာကောင်း', 'my'],
  ])('%j is %s', (text, lang) => {
    expect(detectLanguage(text).lang).toBe(lang);
  });

  it('reads terse, stopword-free English as English, not French', () => {
    expect(detectLanguage('marketing intern food52 team experience required apply position company benefits').lang).toBe('en');
  });

  it.each([
    'Attractive positions available in Bangkok, contact us.',
    'Lucrative commission positions available, home based',
    'Restaurant positions available with accommodation',
    'Assistant positions in Dubai, remuneration attractive',
  ])('reads the one-line English offer %j as English, not French', (text) => {
    expect(detectLanguage(text).lang).toBe('en');
  });

  it('reads short Tagalog and Taglish offers by their cue words, the first named on a tie', () => {
    expect(detectLanguage('libreng tickets at accommodation, 50k buwanang sweldo').lang).toBe('tl');
    expect(detectLanguage('Customer service abroad, libreng pamasahe').lang).toBe('en');
  });

  it('says und for text too short or without letters', () => {
    expect(detectLanguage('CSR').lang).toBe('und');
    expect(detectLanguage('+855 97 555 0123 @hr_job').lang).toBe('und');
    expect(detectLanguage('').lang).toBe('und');
  });

  it('reads a posting from its title and body first, and skips links and contact fields', () => {
    const fields = { title: 'Kế toán tổng hợp', description: 'Làm việc tại Hà Nội, lương thỏa thuận', url: 'https://example.com/job/english-words-here' };
    expect(postingLanguage(fields).lang).toBe('vi');
  });

  it('counts Indonesian with Malay and Traditional with Simplified Chinese', () => {
    expect(languageGroup('ms')).toEqual(['id', 'ms']);
    expect(languageGroup('zh-Hant')).toContain('zh-Hans');
    expect(languageGroup('en')).toEqual(['en']);
  });
});
