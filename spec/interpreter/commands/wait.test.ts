// wait: differential against the reference execline, with children started by background earlier
// in the same chain.
import { describe, expect, it } from 'vitest';
import { same } from './differential.js';

describe('wait', () => {
  it('waits for every child with an empty block', () => {
    const t = Date.now();
    same('background { sleep 0.3 } wait { } echo done');
    expect(Date.now() - t).toBeGreaterThanOrEqual(600);
    same('background { exit 1 } background { exit 2 } wait { } importas -D unset r ? echo $r');
    same('wait { } echo no-children');
  });
  it('waits for the listed pids', () => {
    same('background { echo bg } importas p ! wait { $p } echo done');
    same('background { sleep 0.2 } background { exit 5 } importas p ! wait { $p } echo done');
    same('wait { 99999 } echo x');
    same('wait { -1 } echo x');
  });
  it('-o: one child, ! and ? set; unset when there is none', () => {
    same('background { exit 3 } importas p ! wait -o { } importas r ? importas q ! if { test $p = $q } echo $r');
    same('background { exit 5 } importas p ! wait -o { $p } importas r ? echo $r');
    same('background { sh -c "kill \\$\\$" } wait -o { } importas r ? echo $r');
    same('background { exit 200 } wait -o { } importas r ? echo $r');
    same('wait -o { } importas -D unset r ? importas -D unset q ! echo $r $q');
    same('export ? 5 export ! 7 wait -o { } importas -D unset r ? importas -D unset q ! echo $r $q');
    same('background { exit 5 } wait -o -a { } importas -D unset r ? echo $r');
    same('background { exit 6 } importas p ! background { sh -c "sleep 0.3; exit 5" } importas q ! wait -o { $q $p } importas r ? echo $r');
  });
  it('-t and -r: timeouts, loose (-I) by default, strict with -i', () => {
    same('background { sh -c "exec >/dev/null 2>&1; sleep 1" } wait -t 100 { } echo timeout-ok');
    same('background { sh -c "exec >/dev/null 2>&1; sleep 1" } wait -I -t 100 { } echo timeout-ok');
    same('background { sh -c "exec >/dev/null 2>&1; sleep 1" } wait -i -t 100 { } echo timeout-ok');
    same('background { sh -c "exec >/dev/null 2>&1; sleep 1" } wait -i -r { } echo timeout-ok');
    same('background { exit 5 } wait -t 1000 -o { } importas -D unset r ? echo $r');
    same('background { sleep 0.2 } background { exit 5 } importas p ! wait -t 1000 { $p } importas -D unset r ? echo $r');
    same('background { sh -c "exit 6" } foreground { sleep 0.3 } wait -r -o { } importas r ? echo $r');
    same('wait -i -t 5000 { 12345 } echo y');
    same('wait -i -t 5000 -o { 12345 } importas -D unset r ? echo $r');
    same('background { sleep 0.3 } wait -i -t 2000 { } echo in-time');
  });
  it('without a block: the rest are pids and it exits with a status', () => {
    same('wait');
    same('wait 99999');
    same('wait -o');
    same('wait -r');
    same('background { exit 5 } importas p ! wait $p');
    same('background { exit 5 } importas p ! wait -o');
    same('background { exit 6 } importas p ! background { exit 5 } wait -t 1000 $p');
    same('background { exit 6 } importas p ! background { exit 5 } importas q ! wait $q $p');
    same('background { exit 6 } importas p ! background { sh -c "sleep 0.3; exit 5" } importas q ! wait -o $q $p');
    same('background { sh -c "sleep 0.3; exit 6" } importas p ! background { exit 5 } importas q ! wait -o $q $p');
    same('background { sleep 0.2 } wait -r');
    same('background { sleep 0.2 } wait -r -o');
    same('background { sh -c "exit 6" } foreground { sleep 0.3 } wait -r -o');
  });
  it('inside a block, only the block\'s own children count', () => {
    same('background { sleep 0.3 } foreground { wait -o { } importas -D none r ? echo $r } echo after');
    same('foreground { background { exit 4 } wait -o { } importas r ? echo $r } echo after');
  });
  it('unquoted pids under EXECLINE_STRICT, with or without a block', () => {
    for (const strict of ['1', '2']) {
      same('background { true } wait 1 "" echo b', { env: { EXECLINE_STRICT: strict } });
      same('wait 1 2', { env: { EXECLINE_STRICT: strict } });
      same('wait { 1 } echo b', { env: { EXECLINE_STRICT: strict } });
    }
  });
  it('usage', () => {
    same('wait { abc } echo x');
    same('wait -t abc { } echo x');
    same('wait --insist { } echo x');
    same('wait -Z { } echo x');
  });
});
