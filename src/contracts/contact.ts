// The shape of a contact found in a posting (the shared contract of issue 13: `link` joins postings
// on `key`, the HTML report shows them). Field names are fixed; see README, "Contacts".

export type ContactKind = 'phone' | 'handle' | 'email' | 'domain' | 'wallet';
export type ContactApp = 'telegram' | 'whatsapp' | 'line' | 'wechat' | 'signal' | 'viber' | 'zalo' | 'kakaotalk';
export type WalletNetwork = 'btc' | 'eth' | 'tron';

export interface Contact {
  kind: ContactKind;
  /**
   * Canonical value: phone E.164 ("+85512345678"); handle lower-case without "@" ("hr_linda_kh");
   * email lower-case; domain lower-case host without "www."; wallet as written (ETH lower-case).
   */
  value: string;
  /** What `link` joins on: `${kind}:${value}` (wallet: `wallet:${network}:${value}`). */
  key: string;
  /** The app the posting names for it (a WhatsApp number: kind phone, app whatsapp). */
  app?: ContactApp;
  network?: WalletNetwork;
  /** Phone: ISO 3166-1 alpha-2 region of the number. */
  country?: string;
  /** How it was disguised, e.g. 'spaced-digits', 'spelled-digits', 'fullwidth', 'emoji-digits', 'at-dot', 'lookalike-app'. */
  obfuscation?: string[];
  /** The posting field it was found in. */
  field: string;
  /** UTF-16 offsets into the ORIGINAL field text (like Hit.start/end). */
  start: number;
  end: number;
  /** The same span in code points. */
  cpStart: number;
  cpEnd: number;
  /** The original text of the span. */
  match: string;
}
