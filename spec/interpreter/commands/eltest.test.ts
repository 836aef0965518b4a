// s6-test: eltest under its legacy name. The reference has no s6-test, so this checks ours only:
// the exit codes, and messages that carry the name s6-test (conformance/cases/eltest.json compares
// the rest of eltest, and s6-test's behaviour, with the reference).
import { describe, expect, it } from 'vitest';
import { runScript } from '../../helpers.js';

describe('s6-test', () => {
  it('is eltest under its legacy name, with its own name in messages', () => {
    const t = (s: string) => runScript(s, { flags: [] });
    expect(t('s6-test a = a').status).toBe(0);
    expect(t('s6-test a = b').status).toBe(1);
    expect(t('s6-test').status).toBe(1);
    const e = t('s6-test a b');
    expect(e.status).toBe(100);
    expect(e.stderr).toBe('s6-test: fatal: parse error at argument 1\n');
    expect(t('s6-test x -eq 1').stderr).toBe('s6-test: fatal: -eq requires integer arguments\n');
  });
});
