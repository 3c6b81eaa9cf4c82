// The shape of a contact is a contract (src/contracts/contact.ts); re-exported here for the contacts stage.
export type { Contact, ContactApp, ContactKind, WalletNetwork } from '../contracts/contact.js';
