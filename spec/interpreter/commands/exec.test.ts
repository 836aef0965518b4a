// exec: differential against the reference execline.
import { beforeAll, describe, it } from 'vitest';
import { fixtures, same } from './differential.js';

let dir = '';
beforeAll(() => {
  dir = fixtures();
});

describe('exec', () => {
  it('goes on with its argument', () => {
    same('exec -- echo hi');
    same('exec exec exec echo hi');
    same('foreground { exec echo in-block } echo x');
  });
  it('-a and -l set argv[0]', () => {
    same('exec -a foo sh -c "echo \\$0"');
    same('exec -l sh -c "echo \\$0"');
    same('exec -l -a foo sh -c "echo \\$0"');
    same('foreground { exec -a foo sh -c "echo \\$0" } echo x');
    same('background { exec -a baz sh -c "echo \\$0" } wait { } echo x');
    same('exec -a foo if { true } echo ours');
  });
  it('-c empties the environment but finds the program in the old PATH', () => {
    same('exec -c env');
    same('exec -c myprog a b', { extraPath: dir, env: { A: 'x' } });
    same('exec -c -a foo myprog', { extraPath: dir });
    same('exec -c -l sh -c "echo \\$0; env"');
    same('foreground { exec -c -l -a bar sh -c "echo \\$0; env" } echo x');
    same('exec -c exec -a Z sh -c "echo \\$0"');
    same('exec -c if { true } env');
  });
  it('usage and errors', () => {
    same('exec');
    same('exec -a foo');
    same('exec -Z echo');
    same('exec nonexist');
    same('exec -c nonexist');
    same('exec noexec', { extraPath: dir });
    same('exec badfmt', { extraPath: dir });
  });
});
