// tryexec: differential against the reference execline.
import { beforeAll, describe, it } from 'vitest';
import { fixtures, same, sameDirect } from './differential.js';

let dir = '';
beforeAll(() => {
  dir = fixtures();
});

describe('tryexec', () => {
  it('execs the block, or the rest when the block cannot be executed', () => {
    same('tryexec { echo a } echo b');
    same('tryexec { nonexist } echo b');
    same('tryexec { noexec } echo fb', { extraPath: dir });
    same('tryexec { badfmt } echo fb', { extraPath: dir });
    same('tryexec { nonexist }');
    same('tryexec { if { false } echo no } echo fb');
    same('foreground { tryexec { nonexist } sh -c "echo \\$0 fb" } echo x');
  });
  it('-n swaps the roles', () => {
    same('tryexec -n { echo a } echo b');
    same('tryexec -n { echo a } nonexist');
    same('tryexec -n { printenv A } nonexist', { env: { A: 'kept' } });
  });
  it('-c, -l, -a as exec', () => {
    same('tryexec -c { myprog } echo fb', { extraPath: dir, env: { A: 'x' } });
    same('tryexec -c { env } echo fb');
    same('tryexec -c { nonexist } printenv A', { env: { A: 'fallback-keeps-env' } });
    same('tryexec -n -c { printenv A } env', { env: { A: 'x' } });
    same('tryexec -a foo -l { sh -c "echo \\$0" } echo fb');
    same('tryexec -l { sh -c "echo \\$0" } echo fb');
    same('tryexec -a X { sh -c "echo \\$0" }');
    same('tryexec -l { nonexist } sh -c "echo \\$0"');
    same('foreground { tryexec -c -a Y { sh -c "echo \\$0; env" } echo no } echo x');
  });
  it('usage and errors', () => {
    same('tryexec { nonexist } nonexist2');
    same('tryexec { } echo');
    same('tryexec -n { echo a }');
    same('tryexec -Z { echo a }');
    sameDirect('tryexec', []);
    sameDirect('tryexec', [' echo']);
    same('tryexec { echo a } echo b', { env: { EXECLINE_STRICT: '2' } });
  });
});
