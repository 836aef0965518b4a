// ifthenelse: differential against the reference execline.
import { describe, it } from 'vitest';
import { same, sameDirect } from './differential.js';

describe('ifthenelse', () => {
  it('runs then or else as a child, sets ? and goes on', () => {
    same('ifthenelse { true } { echo then } { echo else } importas r ? echo rest $r');
    same('ifthenelse { false } { echo then } { sh -c "echo else; exit 3" } importas r ? echo rest $r');
    same('ifthenelse { true } { exit 200 } { } importas r ? echo $r');
    same('ifthenelse { true } { sh -c "kill \\$\\$" } { echo else } importas r ? echo rest $r');
    same('ifthenelse { true } { export A 1 } { } importas -D unset a A echo $a');
  });
  it('an empty remainder exits 0 after the branch', () => {
    same('ifthenelse { true } { echo then } { echo else }');
    same('ifthenelse { true } { exit 3 } { }');
  });
  it('empty blocks', () => {
    same('ifthenelse { } { echo a } { echo b }');
    same('ifthenelse { true } { } { echo b } importas r ? echo $r');
  });
  it('dies when the test crashes, unless -X', () => {
    same('ifthenelse { sh -c "kill \\$\\$" } { echo then } { echo else } echo x');
    same('ifthenelse -X { sh -c "kill \\$\\$" } { echo then } { echo else } echo x');
  });
  it('-s goes on with the branch followed by the rest, in the same scope', () => {
    same('ifthenelse -s { true } { define X 1 } { define X 2 } echo $X');
    same('ifthenelse -s { false } { define X 1 } { define X 2 } echo $X');
    same('ifthenelse -s { false } { echo a } { echo b }');
    same('ifthenelse -s { true } { } { }');
    same('ifthenelse -s { true } { nonexist } { }');
  });
  it('usage and errors', () => {
    same('ifthenelse -Z { false } { echo a } { echo b }');
    same('ifthenelse { true } { nonexist } { echo else } importas r ? echo rest $r');
    same('ifthenelse { nonexist } { echo then } { echo else } echo x');
    sameDirect('ifthenelse', []);
    sameDirect('ifthenelse', [' a', '']);
    sameDirect('ifthenelse', [' a', '', ' b']);
    sameDirect('ifthenelse', [' a', '', ' b', '']);
    sameDirect('ifthenelse', [' a', '', ' b', '', ' c']);
  });
});
