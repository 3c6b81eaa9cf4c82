// The `--urls <file>` list: one URL a line.
import { readFile } from 'node:fs/promises';
import { LurescanError } from '../../types.js';

/** The URLs in a `--urls` file: one a line; blank lines and lines starting with # are skipped. */
export async function readUrlList(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LurescanError(
      code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE',
      `--urls ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}`,
    );
  }
  return text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
