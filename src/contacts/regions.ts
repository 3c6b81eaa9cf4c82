// The regions a number written without its country code is read in, and reading it there.
import type { NormalizedText } from '../normalize/index.js';
import { regionOfLanguage, regionsNamed, regionsNamedInFields } from './countries.js';
import { parsePhone, type ParsedPhone } from './phone.js';
import type { ContactApp } from './types.js';

/** Regions tried, in order, for a number written without its country code. */
export interface Regions {
  hinted: string[];
  /** Regions named anywhere in the posting: tried last, and only for a number something calls a phone. */
  named: () => string[];
}

/** A posting's regions, each list worked out on first need: its location, then its language; then those it names anywhere. */
export function postingRegions(
  fields: Record<string, string>,
  location: string | undefined,
  lang: string | undefined,
  folded: ReadonlyMap<string, NormalizedText> | undefined,
): Regions {
  let hinted: string[] | undefined;
  let named: string[] | undefined;
  return {
    get hinted() {
      if (hinted === undefined) {
        hinted = regionsNamed(location ?? fields.location);
        const byLang = regionOfLanguage(lang);
        if (byLang && !hinted.includes(byLang)) hinted.push(byLang);
      }
      return hinted;
    },
    named: () => (named ??= regionsNamedInFields(fields, folded)),
  };
}

/** Where an app's users mostly are: the region for its national numbers when the posting names none. */
const APP_HOME: Partial<Record<ContactApp, string>> = { zalo: 'VN', line: 'TH', kakaotalk: 'KR', wechat: 'CN' };

/** Digits read in the posting's regions; with a cue also as an international number missing its "+", then in regions the posting names elsewhere. */
export function parseDigits(regions: Regions, digits: string, cued: boolean, app?: ContactApp): ParsedPhone | undefined {
  for (const region of regions.hinted) {
    const parsed = parsePhone(digits, region);
    if (parsed?.valid) return parsed;
  }
  if (!cued) return undefined;
  // An international number written without its "+" ("WhatsApp 855 12 345 678"), before the regions named elsewhere.
  if (!digits.startsWith('0')) {
    const international = parsePhone(`+${digits}`);
    if (international?.valid) return international;
  }
  return nationalParse(regions, digits, cued, app);
}

/** Digits read as a national number: in the posting's regions, then (with a cue) those it names elsewhere, then the named app's home region. */
export function nationalParse(regions: Regions, digits: string, cued: boolean, app?: ContactApp): ParsedPhone | undefined {
  const tried = new Set<string>();
  const attempt = (region: string): ParsedPhone | undefined => {
    if (tried.has(region)) return undefined;
    tried.add(region);
    const parsed = parsePhone(digits, region);
    return parsed?.valid ? parsed : undefined;
  };
  for (const region of regions.hinted) {
    const parsed = attempt(region);
    if (parsed) return parsed;
  }
  if (!cued) return undefined;
  for (const region of regions.named()) {
    const parsed = attempt(region);
    if (parsed) return parsed;
  }
  const home = app ? APP_HOME[app] : undefined;
  return home ? attempt(home) : undefined;
}
