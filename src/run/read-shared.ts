// A cache binary read whole into shared memory, for tables that scoring threads view in place (the
// model's, the prefilter's): no Buffer copy that the main thread would keep as garbage.
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** The open file's whole content in a SharedArrayBuffer, with the status it had; undefined when it ended short of that size. */
export async function readIntoShared(handle: FileHandle): Promise<{ bytes: Uint8Array; status: Stats } | undefined> {
  const status = await handle.stat();
  const bytes = new Uint8Array(new SharedArrayBuffer(status.size));
  for (let at = 0; at < status.size; ) {
    const { bytesRead } = await handle.read(bytes, at, status.size - at, at);
    if (bytesRead === 0) return undefined;
    at += bytesRead;
  }
  return { bytes, status };
}
