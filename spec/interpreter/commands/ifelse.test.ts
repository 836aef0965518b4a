// ifelse: differential against the reference execline.
import { describe, it } from 'vitest';
import { same, sameDirect } from './differential.js';

describe('ifelse', () => {
  it('chooses the then block or the rest', () => {
    same('ifelse { true } { echo then } echo else');
    same('ifelse { false } { echo then } echo else');
    same('ifelse { exit 3 } { echo then } echo else');
    same('ifelse { ifelse { false } { exit 0 } exit 1 } { echo then } echo else');
  });
  it('-n negates the test', () => {
    same('ifelse -n { false } { echo then } echo else');
    same('ifelse -n { true } { echo then } echo else');
  });
  it('dies when the test crashes, unless -X', () => {
    same('ifelse { sh -c "kill \\$\\$" } { echo then } echo else');
    same('ifelse -X { sh -c "kill \\$\\$" } { echo then } echo else');
    same('ifelse -nX { sh -c "kill \\$\\$" } { echo then } echo else');
  });
  it('empty blocks and an empty else', () => {
    same('ifelse { } { echo a } echo b');
    same('ifelse -n { } { echo a } echo b');
    same('ifelse { true } { } echo b');
    same('ifelse { false } { echo a }');
  });
  it('usage and errors', () => {
    same('ifelse -Z { true } { } echo b');
    same('ifelse { true }');
    same('ifelse { nonexist } { echo a } echo b');
    sameDirect('ifelse', []);
    sameDirect('ifelse', [' true']);
    sameDirect('ifelse', [' true', '', ' echo']);
    sameDirect('ifelse', [' true', '', ' echo', '']);
    sameDirect('ifelse', ['true'], { env: { EXECLINE_STRICT: '2' } });
    sameDirect('ifelse', ['true', '', ' echo', 'x', '', 'echo', 'y'], { env: { EXECLINE_STRICT: '1' } });
  });
});
