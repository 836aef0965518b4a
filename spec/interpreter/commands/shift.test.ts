// shift: differential against the reference execline.
import { describe, it } from 'vitest';
import { same, sameVia } from './differential.js';

describe('shift', () => {
  it('shifts one argument by default, or -n of them', () => {
    same('shift dollarat', { args: ['a', 'b', 'c'] });
    same('shift -n 2 dollarat', { args: ['a', 'b', 'c'] });
    same('shift -n 0 dollarat', { args: ['a', 'b'] });
    same('shift -n 5 dollarat', { args: ['a', 'b', 'c'] });
  });
  it('-b shifts blocks', () => {
    same('shift -b 1 dollarat', { args: [' a', ' b', '', 'c', 'd'] });
    same('shift -n 1 -b 1 dollarat', { args: ['x', ' a', ' b', '', 'c', 'd'] });
    same('shift -b 0 dollarat', { args: ['a', 'b'] });
  });
  it('too few arguments under EXECLINE_STRICT', () => {
    same('shift -n 5 dollarat', { args: ['a', 'b', 'c'], env: { EXECLINE_STRICT: '1' } });
    same('shift -n 5 dollarat', { args: ['a', 'b', 'c'], env: { EXECLINE_STRICT: '2' } });
    same('shift -b 1 dollarat', { args: ['a', ' b', '', 'c'], env: { EXECLINE_STRICT: '1' } });
    same('shift -b 1 dollarat', { args: ['a', ' b', '', 'c'], env: { EXECLINE_STRICT: '2' } });
    same('shift -b 1 dollarat', { args: [' a', 'b', 'c', '', 'd'], env: { EXECLINE_STRICT: '1' } });
  });
  it("keeps the environment in the reference's order", () => {
    sameVia('/usr/bin/env', ['-i', 'A=1', '#=3', '0=x', '1=a', '2=b', '3=c', 'B=2', 'shift', '-n', '0', 'env']);
    sameVia('/usr/bin/env', ['-i', 'A=1', '#=3', '0=x', '3=c', '1=a', '2=b', 'B=2', 'shift', 'env']);
    sameVia('/usr/bin/env', ['-i', '#=3', '1=a', '2=b', 'shift', 'env']);
  });
  it('usage and errors', () => {
    same('shift');
    same('shift -n x dollarat');
    same('shift -Z dollarat');
    same('shift -b 2 dollarat', { args: [' a', '', 'c', 'd'] });
    same('shift -b 1 dollarat', { args: ['a', 'b'] });
    same('shift -b 1 dollarat', { args: ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9', 'x10', 'x11'] });
    sameVia('/usr/bin/env', ['#=2', '1=a', 'shift', 'dollarat']);
    sameVia('/usr/bin/env', ['-u', '#', 'shift', 'dollarat']);
    sameVia('/usr/bin/env', ['#=z', 'shift', 'dollarat']);
  });
});
