// Phone numbers: libphonenumber-js's "max" metadata (the full patterns, so a number is checked
// against its region's numbering plan, not only its length, and its type is known: a salary of
// "15002500" is a possible Cambodian length but no Vietnamese number at all). It is loaded on the
// first candidate number, not at start-up: import time and memory were the same for the min, max
// and mobile builds here (about 30 ms and 8 MB with require), and postings without a digit run
// long enough never pay it.
import { createRequire } from 'node:module';
import type * as Phone from 'libphonenumber-js/max';

type PhoneLib = typeof Phone;
let lib: PhoneLib | undefined;

function phoneLib(): PhoneLib {
  lib ??= createRequire(import.meta.url)('libphonenumber-js/max') as PhoneLib;
  return lib;
}

/**
 * Load the library now rather than on the first number: a scoring thread started ahead of its work
 * does it while the main thread still reads the rules and the model, so no posting waits for it.
 */
export function preloadPhoneNumbers(): void {
  phoneLib();
}

export interface ParsedPhone {
  /** E.164: "+85512345678". */
  e164: string;
  region?: string;
  /** The national significant number (no trunk prefix). */
  national: string;
  type?: string;
  valid: boolean;
  possible: boolean;
}

const cache = new Map<string, ParsedPhone | null>();

/**
 * A number as libphonenumber reads it: `text` starting with "+" is international; otherwise it is
 * read as written in `region`. Undefined when it is no number at all. Results are cached (an
 * agency's number comes back on each of its ads).
 */
export function parsePhone(text: string, region?: string): ParsedPhone | undefined {
  const cacheKey = `${region ?? ''}|${text}`;
  const known = cache.get(cacheKey);
  if (known !== undefined) return known ?? undefined;
  let result: ParsedPhone | undefined;
  try {
    const parsed = phoneLib().parsePhoneNumberFromString(text, region as Phone.CountryCode | undefined);
    if (parsed) {
      const valid = parsed.isValid();
      result = {
        e164: parsed.number,
        national: parsed.nationalNumber,
        valid,
        possible: valid || parsed.isPossible(),
        ...(parsed.country ? { region: parsed.country } : {}),
        ...(valid && parsed.getType() ? { type: parsed.getType()! } : {}),
      };
    }
  } catch {
    result = undefined;
  }
  if (cache.size > 4_000) cache.clear();
  cache.set(cacheKey, result ?? null);
  return result;
}

/** Whether libphonenumber knows this region code. */
export function knownRegion(region: string): boolean {
  return phoneLib().isSupportedCountry(region);
}
