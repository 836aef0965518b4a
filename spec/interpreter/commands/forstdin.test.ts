// forstdin -P, which the reference lacks: checked against its documented meaning (at most maxpar
// bodies at a time). Everything else forstdin does is compared with the reference in
// conformance/cases/forstdin.json and loops.json.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript, runScriptAsync } from '../../helpers.js';

describe('forstdin', () => {
  it('-P maxpar runs at most maxpar bodies at a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forstdin-P-'));
    // Each running body holds one marker file (made and removed atomically) and records how
    // many it sees: the count is the number of bodies running at that moment.
    const body = `sh -c "f=$(mktemp ${dir}/run.XXXXXX); ls ${dir} | grep -c ^run >> ${dir}/seen; sleep 0.3; rm -f $f"`;
    const r = await runScriptAsync(`forstdin -P 3 x ${body}`, { input: '1\n2\n3\n4\n5\n6\n7\n' });
    expect(r.status).toBe(0);
    const seen = readFileSync(join(dir, 'seen'), 'latin1').trim().split('\n').map(Number);
    expect(seen.length).toBe(7);
    expect(Math.max(...seen)).toBe(3);
    expect(runScript('forstdin -P 2 x echo', { input: '' }).status).toBe(1);
  });
});
