// The Linux tables written out in platform/linux.ts, checked against what Node itself says.
import { describe, expect, it } from 'vitest';
import { constants } from 'node:os';
import { NODE_SIGNAL_NAMES, nodeSignalName } from '../../../interpreter/platform/linux.js';

describe('nodeSignalName', () => {
  it('names every signal Node knows as os.constants.signals does (the first name for each number, not SIGIOT, SIGPOLL or SIGUNUSED)', () => {
    const want = new Map<number, string>();
    for (const [k, v] of Object.entries(constants.signals)) if (!want.has(v) && !['SIGIOT', 'SIGPOLL', 'SIGUNUSED'].includes(k)) want.set(v, k);
    for (const [n, k] of want) expect(nodeSignalName(n), `signal ${n}`).toBe(k);
    expect(NODE_SIGNAL_NAMES.length).toBe(want.size);
  });

  it('has no name for what is not a signal', () => {
    for (const n of [0, -1, 32, 64, 1.5, Number.NaN]) expect(nodeSignalName(n)).toBeUndefined();
  });
});
