// cd / execline-cd: differential against the reference execline.
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { same, sameDirect } from './differential.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'el-cd-'));
  mkdirSync(join(dir, 'a/b'), { recursive: true });
  symlinkSync(join(dir, 'a/b'), join(dir, 'lnk'));
});

describe('cd', () => {
  it('changes directory, then runs the rest', () => {
    same('cd / pwd');
    same('execline-cd / pwd');
    same('cd a pwd', { cwd: dir });
    same('cd a/b pwd -P', { cwd: dir });
    same('cd lnk pwd -P', { cwd: dir });
    same('cd a cd b pwd', { cwd: dir });
    same('cd .. pwd', { cwd: join(dir, 'a') });
  });
  it('takes no options: every first word is the directory', () => {
    same('cd -x / pwd');
    same('cd -- / pwd');
  });
  it('does not touch PWD or OLDPWD', () => {
    same('cd / printenv PWD OLDPWD', { env: { PWD: '/x', OLDPWD: '/y' } });
  });
  it('a block child gets its own working directory', () => {
    same('foreground { cd / pwd } pwd', { cwd: dir });
    same('if { cd / } pwd', { cwd: dir });
    same('foreground { cd a cd b } pwd', { cwd: dir });
  });
  it('usage and errors', () => {
    same('cd');
    same('cd /');
    same('execline-cd /');
    same('cd /nonexistent true');
    same('cd "" true');
    same('cd /etc/passwd true');
    same('cd / nonexistent-prog');
    sameDirect('cd', []);
    sameDirect('cd', ['/']);
    sameDirect('execline-cd', ['/', 'pwd']);
    sameDirect('cd', ['/nonexistent', 'true']);
  });
});
