// dollarat: differential against the reference execline.
import { describe, it } from 'vitest';
import { same, sameVia } from './differential.js';

describe('dollarat', () => {
  it('prints the positional parameters, one per line', () => {
    same('dollarat', { args: ['a', 'b'] });
    same('dollarat');
    same('foreground { dollarat } echo x', { args: ['a', 'b'] });
  });
  it('-n chomps the last delimiter', () => {
    same('dollarat -n', { args: ['a', 'b'] });
    same('dollarat -n');
  });
  it('-d: one-character delimiter; empty means netstrings', () => {
    same('dollarat -d :: -n', { args: ['a', 'bc'] });
    same('dollarat -d ""', { args: ['a', 'bc'] });
    same('dollarat -n -d ""', { args: ['a', 'bc'] });
    same('dollarat -d ""', { args: ['', 'h\xe9llo'] });
  });
  it('-0: NUL delimiter; the rightmost of -0 and -d wins', () => {
    same('dollarat -0', { args: ['a', 'b'] });
    same('dollarat -0 -d :', { args: ['a', 'bc'] });
    same('dollarat -d : -0', { args: ['a', 'bc'] });
    same('dollarat -d "" -0', { args: ['a', 'b'] });
  });
  it('usage and errors', () => {
    same('dollarat -Z');
    same('dollarat extra args', { args: ['a'] });
    sameVia('/usr/bin/env', ['#=01', '1=a', 'dollarat']);
    sameVia('/usr/bin/env', ['#=', 'dollarat']);
    sameVia('/usr/bin/env', ['#=-1', 'dollarat']);
    sameVia('/usr/bin/env', ['#=1x', 'dollarat']);
    sameVia('/usr/bin/env', ['#=4294967296', 'dollarat']);
    sameVia('/usr/bin/env', ['#=2', '1=a', 'dollarat']);
    sameVia('/usr/bin/env', ['-u', '#', 'dollarat']);
    sameVia('/bin/sh', ['-c', 'env "#=1" 1=a dollarat > /dev/full']);
    sameVia('/bin/sh', ['-c', 'env "#=1" 1=a dollarat -d "" > /dev/full']);
  });
});
