// Before any test file runs: check the shipped rules' regexes for ReDoS once, so the verdict cache
// (node_modules/.cache/lurescan) is warm. Several test files lint the shipped rules or copies of
// them in parallel processes; on a fresh clone each would otherwise run the whole check at once and
// the checker's time-outs would depend on how busy the machine is. The outcome is not asserted
// here: the tests that lint say what they expect.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default async function setup(): Promise<void> {
  await new Promise<void>((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin', 'lurescan.js'), 'rules', 'lint', '--format', 'json'],
      { cwd: ROOT, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
      () => resolve(),
    );
  });
}
