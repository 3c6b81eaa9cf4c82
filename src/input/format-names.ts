// The input formats by name and the file extensions that imply each: what --input-format offers,
// what a file name is read as, and what the README's input table must list (a test compares them).
// A file of its own, with no imports, so the command line lists them without loading the readers.
// Adding a format: its name and extensions here, its reader in READERS (input/index.ts).

export const INPUT_FORMAT_EXTENSIONS = {
  csv: ['.csv'],
  tsv: ['.tsv', '.tab'],
  jsonl: ['.jsonl', '.ndjson'],
  json: ['.json'],
  html: ['.html', '.htm', '.xhtml'],
  txt: ['.txt', '.text'],
} as const satisfies Record<string, readonly `.${string}`[]>;

export type InputFormat = keyof typeof INPUT_FORMAT_EXTENSIONS;
export const INPUT_FORMATS = Object.keys(INPUT_FORMAT_EXTENSIONS) as InputFormat[];
