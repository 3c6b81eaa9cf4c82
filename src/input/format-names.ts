// The input formats by name: what --input-format offers and the readers (input/index.ts) take. A
// file of its own, with no imports, so the command line lists them without loading the readers.

export const INPUT_FORMATS = ['csv', 'tsv', 'jsonl', 'json', 'html', 'txt'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
