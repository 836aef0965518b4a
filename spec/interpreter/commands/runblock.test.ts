// runblock: differential against the reference execline (blocks given as positional parameters).
import { describe, it } from 'vitest';
import { same, sameVia } from './differential.js';

const blocks = [' echo', ' hi', '', ' echo', ' there', '', 'echo', 'rest'];

describe('runblock', () => {
  it('runs the nth block', () => {
    same('runblock 1', { args: blocks });
    same('runblock 2', { args: blocks });
    same('runblock -n 1 1', { args: ['skip', ' echo', ' hi', ''] });
  });
  it('-r runs what follows n blocks, as is; nothing left exits 0', () => {
    same('runblock -r 2', { args: blocks });
    same('runblock -r 1 echo pre', { args: blocks });
    same('runblock -r 0 echo', { args: ['a', 'b'] });
    same('runblock -r 2 echo', { args: [' a', '', ' b', ''] });
    same('runblock -n 2 -r 1 echo', { args: ['a', 'b', ' c', '', 'd'] });
  });
  it('cmd... goes before the selected arguments', () => {
    same('runblock 1 echo pre', { args: blocks });
  });
  it('pops the positional parameters, unless -P', () => {
    same('runblock 1 env', { args: [' printenv', ' 1', ''] });
    same('runblock -P 1 env', { args: [' printenv', ' 1', ''] });
    same('runblock -r 1 printenv', { args: [' a', '', '#'] });
    same('runblock -P -r 1 printenv', { args: [' a', '', '#'] });
    same('runblock -rP 1 echo', { args: ['a', '', 'd'] });
  });
  it('unquoted positionals under EXECLINE_STRICT', () => {
    same('runblock 1', { args: ['echo', 'unq', ''] });
    same('runblock 1', { args: ['echo', 'unq', ''], env: { EXECLINE_STRICT: '1' } });
    same('runblock 1', { args: ['echo', 'unq', ''], env: { EXECLINE_STRICT: '2' } });
    same('runblock 2', { args: ['echo', 'unq', '', ' echo', ' ok', ''], env: { EXECLINE_STRICT: '1' } });
  });
  it('an empty block crashes like the reference', () => {
    same('runblock 1', { args: [''] });
    same('foreground { runblock 1 } importas r ? echo $r', { args: [''] });
  });
  it('usage and errors', () => {
    same('runblock 3', { args: blocks });
    same('runblock -r 3', { args: [' echo', ' hi', '', ' echo', ' there', ''] });
    same('runblock 0');
    same('runblock');
    same('runblock x');
    same('runblock -n x 1');
    same('runblock -Z 1');
    same('runblock 1');
    same('runblock 1', { args: [' echo'] });
    sameVia('/usr/bin/env', ['-u', '#', 'runblock', '1']);
    sameVia('/usr/bin/env', ['#=x', 'runblock', '1']);
    sameVia('/usr/bin/env', ['#=2', '1= echo', 'runblock', '1']);
  });
});
