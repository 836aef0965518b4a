// trap against the reference: handlers per signal (names, numbers, default), -x forwarding, the !
// and SIGNAL variables, exit statuses, and every directive error.
import { describe, it } from 'vitest';
import { sameAsync } from './compare.js';

describe('trap', () => {
  it.each([
    'trap { term { importas S SIGNAL echo handler $S } } sh -c "kill -TERM $PPID; sleep 0.3; echo main"',
    'trap { int { importas P ! sh -c "test $1 = $2 && echo same" sh $P $P } } sh -c "kill -INT $PPID; sleep 0.3; echo main"',
    `trap { usr1 { sh -c "tr '\\\\0' '\\\\n' < /proc/$$/environ | sed -e /^PATH=/d -e 's/^!=[0-9]*$/!=PID/'" } } sh -c "kill -USR1 $PPID; sleep 0.3"`,
    'trap { default { importas S SIGNAL echo handler $S } } sh -c "kill -USR1 $PPID; sleep 0.3; kill -HUP $PPID; sleep 0.3; echo main"',
    'trap { default { echo default } usr2 { echo usr2 } } sh -c "kill -USR2 $PPID; sleep 0.3; kill -USR1 $PPID; sleep 0.3; echo main"',
    'trap -x { usr1 { echo h1 } } sh -c "trap \\"echo got TERM; exit 5\\" TERM; kill -TERM $PPID; sleep 1 & wait"',
    'trap { usr1 { echo h1 } } sh -c "kill -TERM $PPID; sleep 0.3; echo main"',
    'trap { default { importas S SIGNAL echo $S } } sh -c "kill -CHLD $PPID; sleep 0.2; echo main"',
    'trap { usr2 { foreground { echo a } echo b } } sh -c "kill -USR2 $PPID; sleep 0.5; echo main"',
    'trap { term { } } sh -c "kill -TERM $PPID; sleep 0.2; echo main"',
    'trap { term { nonexistent-prog } } sh -c "kill -TERM $PPID; sleep 0.2; echo main"',
    'trap { term { echo a } } sh -c "exit 3"',
    'trap { term { echo a } } sh -c "kill -9 $$"',
    'trap { term { echo a } } exit 7',
    'trap { term { echo a } } importas -D none X ! echo $X',
    'trap -x { default { } } true',
  ])('%s', async (script) => {
    await sameAsync(script);
  });

  it.each([
    'term',
    'SIGterm',
    'Term',
    '15',
    'SIG15',
    '03',
    '0',
    '64',
    'iot',
    'poll',
    'io',
    'stkflt',
    'pwr',
    'sys',
    'default',
    'DEFAULT',
    '65',
    '99',
    'rtmin',
    'sigchld',
    'chld',
    'cld',
    'kill',
    'stop',
    'x',
    'timeout',
    'SIG',
    '4294967296',
    '-1',
    '+3',
  ])('directive %s', async (word) => {
    await sameAsync(`trap { ${word} { echo h } } echo ok`);
  });

  it.each([
    'trap { term { echo h } default { echo d } 15 { echo x } } echo ok',
    'trap { term { echo h } }',
    'trap',
    'trap -x',
    'trap -t 5 { term { } } echo ok',
    'trap -z { term { } } echo ok',
    'trap { } echo ok',
    'trap { term } echo ok',
    'trap { term { echo h } echo ok',
    'trap { term { echo a } } nonexistent-prog',
  ])('error: %s', async (script) => {
    await sameAsync(script);
  });
});
