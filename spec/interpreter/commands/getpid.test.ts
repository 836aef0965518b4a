// getpid: differential against the reference execline.
import { describe, it } from 'vitest';
import { same } from './differential.js';

describe('getpid', () => {
  it('stores the pid of the process that runs the program', () => {
    same('getpid P sh -c "test \\$P = \\$\\$ && echo same"');
    same('getpid -p P sh -c "test \\$P = \\$\\$ && echo same"');
    same('getpid -P -p P sh -c "test \\$P = \\$\\$ && echo same"');
    same('foreground { getpid P sh -c "test \\$P = \\$\\$ && echo same" } echo x');
  });
  it('-P stores the parent pid', () => {
    same('getpid -P P sh -c "test \\$P = \\$PPID && echo parent"');
    same('getpid -P P getpid Q sh -c "test \\$P = \\$PPID && test \\$Q = \\$\\$ && echo both"');
    same('foreground { getpid -P P sh -c "test \\$P = \\$PPID && echo parent" } echo x');
  });
  it('-E substitutes instead of exporting; -e does not', () => {
    same('getpid -E P sh -c "test $P = \\$\\$ && echo same; echo \\${P-unset}"');
    same('getpid -E -e P sh -c "test \\$P = \\$\\$ && echo same"');
    same('foreground { getpid -E P sh -c "test $P = \\$\\$ && echo same" } echo x');
  });
  it('usage and errors', () => {
    same('getpid P');
    same('getpid');
    same('getpid -E P');
    same('getpid A=B echo');
    same('getpid "" echo');
    same('getpid -Z P echo');
    same('getpid P nonexist');
    same('getpid -E P nonexist');
    same('foreground { getpid P nonexist } echo x');
  });
});
