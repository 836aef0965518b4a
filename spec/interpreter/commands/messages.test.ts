// Message text, word for word against the reference (the conformance suite compares only the
// `prog: kind` shape of stderr): the drifts found by auditing every command's fatal and warning
// messages against the strings of the 2.9.3 binaries and the errors they print.
import { describe, it } from 'vitest';
import { same } from './differential.js';

describe('messages as the reference words them', () => {
  it.each([
    // pipe(2) failing: piperw says "create pipe", heredoc "pipe" (the program's fd limit is low).
    's6-softlimit -o 4 piperw 3 4 true',
    'fdclose 0 s6-softlimit -o 3 piperw 0 4 true',
    's6-softlimit -o 4 heredoc 0 x cat',
    // The pipe is there but an end cannot go where asked (past the open-files limit).
    'piperw 3 100000000 true',
    'piperw 100000000 4 true',
    'heredoc 100000000 x true',
    // Reading a closed stdin: EBADF, not a Node error code.
    'fdclose 0 forstdin x echo $x',
    'fdclose 0 withstdinas X echo',
    'fdclose 0 envfile - echo',
    // A script that opens but cannot be read.
    'execlineb -P /',
    // fd_copy onto itself, and fd_swap with a closed second fd where the dup landed.
    'fdmove -c 1 1 echo ok',
    'fdmove -c 3 3 echo ok',
    'fdmove 3 3 echo ok',
    'fdswap 0 3 echo ok',
    'redirfd -r 3 /dev/null fdswap 3 4 echo ok',
    'fdswap 1 99 echo ok',
    'fdswap 3 0 echo ok',
    // Usage lines.
    'elgetpositionals -x true',
    'elgetpositionals -P x true',
  ])('%s', (script) => {
    same(script, { flags: ['-P'] });
  });
});
