// The output formats by name: what --format offers and scan writes. A file of its own, with no
// imports, so the command line lists them without loading the writers.

export const OUTPUT_FORMATS = ['jsonl', 'csv', 'json', 'table', 'parquet', 'labelstudio'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
