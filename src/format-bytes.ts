// Byte counts as people read them, for messages and summaries.

/** A byte count as people read it: `10 MB`, `500 KB`, `1.5 GB` (one decimal when not whole), `12 bytes`. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GB', 1024 ** 3],
    ['MB', 1024 ** 2],
    ['KB', 1024],
  ] as const) {
    if (bytes >= size) return `${Math.round((10 * bytes) / size) / 10} ${unit}`;
  }
  return `${bytes} bytes`;
}
