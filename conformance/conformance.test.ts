// The differential conformance suite: one test per case in cases/*.json, one describe per file.
// Select cases with CASE=name1,name2 | CASE=group/ | CASE=/regex/ (see README.md).
import { describe, expect, it } from 'vitest';
import { caseLimitMs, checkCase, filterCases, loadCases, type LoadedCase } from './runner';

const selected = filterCases(loadCases());
const groups = new Map<string, LoadedCase[]>();
for (const c of selected) {
  const list = groups.get(c.group) ?? [];
  list.push(c);
  groups.set(c.group, list);
}

// The cases of a file run concurrently (each run has its own directory; the few timing-dependent
// cases leave wide margins). CONFORMANCE_CONCURRENT=0 runs them one after the other.
const describeGroup = process.env.CONFORMANCE_CONCURRENT === '0' ? describe : describe.concurrent;

for (const [group, cases] of groups) {
  describeGroup(group, () => {
    for (const c of cases) {
      it(
        c.name,
        async () => {
          const verdict = await checkCase(c);
          if (!verdict.ok) expect.fail(`\n${verdict.report}\n`);
        },
        Math.max(30_000, 2 * caseLimitMs(c) + 10_000),
      );
    }
  });
}
