// ifte: differential against the reference execline.
import { beforeAll, describe, it } from 'vitest';
import { fixtures, same, sameDirect } from './differential.js';

let dir = '';
beforeAll(() => {
  dir = fixtures();
});

describe('ifte', () => {
  it('runs the test and goes on with then or else', () => {
    same('ifte { echo then } { echo else } true');
    same('ifte { echo then } { echo else } false');
    same('ifte { echo then } { echo else } ifte { exit 0 } { exit 1 } false');
  });
  it('-n negates the test', () => {
    same('ifte -n { echo then } { echo else } false');
    same('ifte -n { echo then } { echo else } true');
  });
  it('dies when the test crashes, unless -X', () => {
    same('ifte { echo then } { echo else } sh -c "kill -9 \\$\\$"');
    same('ifte -X { echo then } { echo else } sh -c "kill -9 \\$\\$"');
  });
  it('empty branches', () => {
    same('ifte { } { echo else } true');
    same('ifte { } { echo else } false');
  });
  it('usage and errors', () => {
    same('ifte -Z { echo then } { echo else } true');
    same('ifte { echo then } { echo else }');
    same('ifte { echo then } { echo else } nonexist');
    same('ifte { echo then } { echo else } { true }');
    same('ifte { echo then } { echo else } noexec', { extraPath: dir });
    sameDirect('ifte', []);
    sameDirect('ifte', [' a']);
    sameDirect('ifte', [' a', '']);
    sameDirect('ifte', [' a', '', ' b']);
    sameDirect('ifte', [' a', '', ' b', '']);
  });
});
