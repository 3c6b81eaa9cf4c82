// The output formats by name and the file extensions of an -o name that imply each: what --format
// offers and scan writes. A file of its own, with no imports, so the command line lists them
// without loading the writers. Adding a format: its name and extensions here, its writer in
// OUTPUT_WRITERS (report/formats.ts; the compiler asks for it).

export const OUTPUT_FORMAT_EXTENSIONS = {
  jsonl: ['.jsonl', '.ndjson'],
  csv: ['.csv'],
  json: ['.json'],
  table: ['.txt'],
  parquet: ['.parquet'],
  labelstudio: [],
} as const satisfies Record<string, readonly `.${string}`[]>;

export type OutputFormat = keyof typeof OUTPUT_FORMAT_EXTENSIONS;
export const OUTPUT_FORMATS = Object.keys(OUTPUT_FORMAT_EXTENSIONS) as OutputFormat[];
