// `scan`'s V8 setting for its own process (src/run/heap-settings.ts), checked in fresh Node processes:
// it is process-wide, so it is never set in the test runner's. What is checked is what it is for:
// garbage that lives a while (a batch's postings and verdicts, promoted before they die) is
// collected from the old generation sooner, so the old space peaks lower. That a scan in lurescan's
// own process with the setting (the binary, at two scoring threads or more) gives the verdicts an
// in-process scan gives is test/process/pool.test.ts's first `binary:` test, which scans the shipped
// fixtures with the shipped model that way and compares the bytes; a second such scan here cost
// the suite some 4 CPU-s and proved nothing more.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const settings = pathToFileURL(path.join(root, 'dist/run/heap-settings.js')).href;

/** The old space's peak, in MB, under a live set and batches of garbage that outlive young collections. */
async function oldSpacePeak(apply: boolean): Promise<number> {
  const script = `
    const { getHeapSpaceStatistics } = require('node:v8');
    import(${JSON.stringify(settings)}).then(({ useScanHeapSettings }) => {
      if (${apply}) useScanHeapSettings();
      const old = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_size / 1048576;
      const live = Array.from({ length: 200000 }, (_, i) => ({ i, text: 'live ' + i }));
      let peak = 0;
      let batch;
      for (let round = 0; round < 80; round++) {
        batch = Array.from({ length: 20000 }, (_, i) => ({ round, i, text: 'posting ' + i }));
        for (let k = 0; k < 20; k++) Array.from({ length: 5000 }, (_, i) => ({ k, i }));
        peak = Math.max(peak, old());
      }
      console.log(JSON.stringify({ peak, live: live.length, batch: batch.length }));
    });
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { encoding: 'utf8' });
  return (JSON.parse(stdout) as { peak: number }).peak;
}

describe("scan's V8 setting", () => {
  it('keeps less garbage in the old generation', async () => {
    // Two processes at once: the test's worker waits for them rather than being held by each in turn.
    const [without, withSetting] = await Promise.all([oldSpacePeak(false), oldSpacePeak(true)]);
    // Measured here: about 98 MB without, 43 MB with.
    expect(withSetting).toBeLessThan(without * 0.7);
  });
});
