// wait: differential against the reference execline, with children started by background earlier
// in the same chain.
import { describe, expect, it } from 'vitest';
import { sameAsync } from './differential.js';

describe('wait', () => {
  it('waits for every child with an empty block', async () => {
    const t = Date.now();
    await sameAsync('background { sleep 0.3 } wait { } echo done');
    expect(Date.now() - t).toBeGreaterThanOrEqual(600);
    await sameAsync('background { exit 1 } background { exit 2 } wait { } importas -D unset r ? echo $r');
    await sameAsync('wait { } echo no-children');
  });
  it('waits for the listed pids', async () => {
    await sameAsync('background { echo bg } importas p ! wait { $p } echo done');
    await sameAsync('background { sleep 0.2 } background { exit 5 } importas p ! wait { $p } echo done');
    await sameAsync('wait { 99999 } echo x');
    await sameAsync('wait { -1 } echo x');
  });
  it('-o: one child, ! and ? set; unset when there is none', async () => {
    await sameAsync('background { exit 3 } importas p ! wait -o { } importas r ? importas q ! if { test $p = $q } echo $r');
    await sameAsync('background { exit 5 } importas p ! wait -o { $p } importas r ? echo $r');
    await sameAsync('background { sh -c "kill \\$\\$" } wait -o { } importas r ? echo $r');
    await sameAsync('background { exit 200 } wait -o { } importas r ? echo $r');
    await sameAsync('wait -o { } importas -D unset r ? importas -D unset q ! echo $r $q');
    await sameAsync('export ? 5 export ! 7 wait -o { } importas -D unset r ? importas -D unset q ! echo $r $q');
    await sameAsync('background { exit 5 } wait -o -a { } importas -D unset r ? echo $r');
    await sameAsync('background { exit 6 } importas p ! background { sh -c "sleep 0.3; exit 5" } importas q ! wait -o { $q $p } importas r ? echo $r');
  });
  it('-t and -r: timeouts, loose (-I) by default, strict with -i', async () => {
    await sameAsync('background { sh -c "exec >/dev/null 2>&1; sleep 1" } wait -t 100 { } echo timeout-ok');
    await sameAsync('background { sh -c "exec >/dev/null 2>&1; sleep 1" } wait -I -t 100 { } echo timeout-ok');
    await sameAsync('background { sh -c "exec >/dev/null 2>&1; sleep 1" } wait -i -t 100 { } echo timeout-ok');
    await sameAsync('background { sh -c "exec >/dev/null 2>&1; sleep 1" } wait -i -r { } echo timeout-ok');
    await sameAsync('background { exit 5 } wait -t 1000 -o { } importas -D unset r ? echo $r');
    await sameAsync('background { sleep 0.2 } background { exit 5 } importas p ! wait -t 1000 { $p } importas -D unset r ? echo $r');
    await sameAsync('background { sh -c "exit 6" } foreground { sleep 0.3 } wait -r -o { } importas r ? echo $r');
    await sameAsync('wait -i -t 5000 { 12345 } echo y');
    await sameAsync('wait -i -t 5000 -o { 12345 } importas -D unset r ? echo $r');
    await sameAsync('background { sleep 0.3 } wait -i -t 2000 { } echo in-time');
  });
  it('without a block: the rest are pids and it exits with a status', async () => {
    await sameAsync('wait');
    await sameAsync('wait 99999');
    await sameAsync('wait -o');
    await sameAsync('wait -r');
    await sameAsync('background { exit 5 } importas p ! wait $p');
    await sameAsync('background { exit 5 } importas p ! wait -o');
    await sameAsync('background { exit 6 } importas p ! background { exit 5 } wait -t 1000 $p');
    await sameAsync('background { exit 6 } importas p ! background { exit 5 } importas q ! wait $q $p');
    // (Which child ends first must not be a race on a busy machine: the other one takes a second
    // more, and the quick one is an external program, which starts in a fork, not a Node child.)
    await sameAsync('background { sh -c "exit 6" } importas p ! background { sh -c "sleep 1; exit 5" } importas q ! wait -o $q $p');
    await sameAsync('background { sh -c "sleep 1; exit 6" } importas p ! background { sh -c "exit 5" } importas q ! wait -o $q $p');
    await sameAsync('background { sleep 0.2 } wait -r');
    await sameAsync('background { sleep 0.2 } wait -r -o');
    await sameAsync('background { sh -c "exit 6" } foreground { sleep 1 } wait -r -o');
  });
  it("inside a block, only the block's own children count", async () => {
    await sameAsync('background { sleep 0.3 } foreground { wait -o { } importas -D none r ? echo $r } echo after');
    await sameAsync('foreground { background { exit 4 } wait -o { } importas r ? echo $r } echo after');
  });
  it('unquoted pids under EXECLINE_STRICT, with or without a block', async () => {
    for (const strict of ['1', '2']) {
      await sameAsync('background { true } wait 1 "" echo b', { env: { EXECLINE_STRICT: strict } });
      await sameAsync('wait 1 2', { env: { EXECLINE_STRICT: strict } });
      await sameAsync('wait { 1 } echo b', { env: { EXECLINE_STRICT: strict } });
    }
  });
  it('usage', async () => {
    await sameAsync('wait { abc } echo x');
    await sameAsync('wait -t abc { } echo x');
    await sameAsync('wait --insist { } echo x');
    await sameAsync('wait -Z { } echo x');
  });
});
