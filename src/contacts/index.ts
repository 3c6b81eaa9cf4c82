// Contacts in postings (issue 13): what a posting gives to be reached by, normalised so postings
// that share one can be joined (`lurescan link`), and redacted by keyed hashes for sharing.
export { extractContacts, type ContactHints } from './extract.js';
export { preloadPhoneNumbers } from './phone.js';
export { hashContactValue, redactContact, redactRecord, redactVerdict, type RedactKey } from './redact.js';
export type { Contact, ContactApp, ContactKind, WalletNetwork } from './types.js';
