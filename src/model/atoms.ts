// Word texts (stems, words of scripts without stemming, number classes) as small integers, shared by
// the tokenizer and every vocabulary in the process: training looks word and pair tokens up by these
// numbers instead of building each token's string. No I/O.

const texts: string[] = [];
const ids = new Map<string, number>();
let generation = 0;
const resetHooks: Array<() => void> = [];

/** More atoms than this and they are all forgotten before the next document (a long scan stays bounded). */
export const MAX_ATOMS = 500_000;

/** The atom of a word text, made if new. */
export function atomOf(text: string): number {
  let atom = ids.get(text);
  if (atom === undefined) {
    atom = texts.length;
    texts.push(text);
    ids.set(text, atom);
  }
  return atom;
}

/** The text of an atom of the current generation. */
export function atomText(atom: number): string {
  return texts[atom]!;
}

/** Bumped whenever the atoms are forgotten: numbers from an earlier generation mean nothing now. */
export function atomGeneration(): number {
  return generation;
}

/** Call between documents: forgets every atom once there are `limit` or more, and runs the reset hooks. */
export function boundAtoms(limit = MAX_ATOMS): void {
  if (texts.length < limit) return;
  texts.length = 0;
  ids.clear();
  generation++;
  for (const hook of resetHooks) hook();
}

/** `hook` runs whenever the atoms are forgotten (caches keyed by atoms clear themselves). */
export function onAtomReset(hook: () => void): void {
  resetHooks.push(hook);
}
