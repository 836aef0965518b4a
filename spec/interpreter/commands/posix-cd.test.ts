// posix-cd: differential against the reference execline (logical and physical modes, HOME,
// OLDPWD with "-", CDPATH, the PWD and OLDPWD it exports, and what it prints).
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { same, sameDirect } from './differential.js';

let dir = '';
const show = 'printenv PWD OLDPWD';
beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'el-pcd-')));
  mkdirSync(join(dir, 'a/b'), { recursive: true });
  mkdirSync(join(dir, 'cdp/sub'), { recursive: true });
  symlinkSync(join(dir, 'a/b'), join(dir, 'lnk'));
});

describe('posix-cd', () => {
  it('changes directory and exports OLDPWD and PWD', () => {
    same(`posix-cd / ${show}`, { cwd: dir });
    same(`posix-cd a ${show}`, { cwd: dir, env: { PWD: dir } });
    same(`posix-cd a/b pwd`, { cwd: dir });
    same(`posix-cd / pwd`);
  });
  it('with no operand or no program', () => {
    same('posix-cd', { env: { HOME: '/' } });
    same('posix-cd /');
    same('posix-cd', { cwd: dir, env: { HOME: dir } });
  });
  it('-L (default) resolves .. against $PWD, lexically', () => {
    same(`posix-cd lnk ${show}`, { cwd: dir, env: { PWD: dir } });
    same(`posix-cd -L lnk/.. ${show}`, { cwd: dir, env: { PWD: dir } });
    same(`posix-cd lnk/../a pwd -P`, { cwd: dir, env: { PWD: dir } });
    same(`posix-cd .. ${show}`, { cwd: join(dir, 'lnk'), env: { PWD: join(dir, 'lnk') } });
    same(`posix-cd ${dir}/a/b/../../../../../../.. ${show}`, { cwd: dir });
    same(`posix-cd //${dir.slice(1)}//a/./b/ ${show}`, { cwd: dir });
    same(`posix-cd a/../lnk/.. ${show}`, { cwd: dir });
    same(`posix-cd a ${show}`, { cwd: dir, env: { PWD: '' } });
    same(`posix-cd a ${show}`, { cwd: dir, env: { PWD: `${dir}/` } });
  });
  it('-P resolves symlinks and takes PWD from getcwd', () => {
    same(`posix-cd -P lnk ${show}`, { cwd: dir, env: { PWD: dir } });
    same(`posix-cd -P lnk/.. ${show}`, { cwd: dir, env: { PWD: dir } });
    same(`posix-cd -LP lnk ${show}`, { cwd: dir });
    same(`posix-cd -PL lnk ${show}`, { cwd: dir, env: { PWD: dir } });
    same(`posix-cd -P -L -P lnk pwd`, { cwd: dir });
  });
  it('"-" goes to $OLDPWD and prints it', () => {
    same(`posix-cd - ${show}`, { cwd: dir, env: { OLDPWD: '/' } });
    same(`posix-cd -P - ${show}`, { cwd: dir, env: { OLDPWD: join(dir, 'lnk') } });
    same(`posix-cd - ${show}`, { cwd: dir, env: { OLDPWD: join(dir, 'lnk/..') } });
    same(`posix-cd -`, { cwd: dir, env: { OLDPWD: 'a' } });
  });
  it('searches CDPATH and prints the directory found there', () => {
    same(`posix-cd sub ${show}`, { cwd: dir, env: { CDPATH: `${dir}/cdp` } });
    same(`posix-cd sub ${show}`, { cwd: dir, env: { CDPATH: `/nonexistent:${dir}/cdp/` } });
    same(`posix-cd a ${show}`, { cwd: dir, env: { CDPATH: `:${dir}/cdp` } });
    same(`posix-cd -P lnk ${show}`, { cwd: dir, env: { CDPATH: `${dir}/cdp:${dir}` } });
    same(`posix-cd b pwd`, { cwd: dir, env: { CDPATH: '/nonexistent:a' } });
    same(`posix-cd -P b pwd`, { cwd: dir, env: { CDPATH: '/nonexistent:a' } });
    same(`posix-cd a pwd`, { cwd: dir, env: { CDPATH: '' } });
    same(`posix-cd a pwd`, { cwd: dir, env: { CDPATH: '::' } });
  });
  it('skips CDPATH for absolute paths and . or .. starts', () => {
    same(`posix-cd ./a pwd`, { cwd: dir, env: { CDPATH: `${dir}/cdp` } });
    same(`posix-cd ./sub pwd`, { cwd: dir, env: { CDPATH: `${dir}/cdp` } });
    same(`posix-cd .. pwd`, { cwd: join(dir, 'a'), env: { CDPATH: `${dir}/cdp` } });
  });
  it('when CDPATH holds no match, tries the last candidate (as the reference does)', () => {
    same(`posix-cd a pwd`, { cwd: dir, env: { CDPATH: `${dir}/cdp` } });
    same(`posix-cd a pwd`, { cwd: dir, env: { CDPATH: `${dir}/cdp:` } });
    same(`posix-cd sub pwd`, { cwd: join(dir, 'cdp'), env: { CDPATH: `/nonexistent` } });
  });
  it('a block child gets its own directory and environment', () => {
    same(`foreground { posix-cd / } pwd`, { cwd: dir });
    same(`foreground { posix-cd / ${show} } ${show}`, { cwd: dir, env: { PWD: dir, OLDPWD: '/x' } });
  });
  it('usage and errors', () => {
    same('posix-cd');
    same('posix-cd -x a true', { cwd: dir });
    same('posix-cd - true', { cwd: dir });
    same('posix-cd - true', { cwd: dir, env: { OLDPWD: '' } });
    same('posix-cd', { env: { HOME: '' } });
    same('posix-cd nonexistent true', { cwd: dir });
    same('posix-cd -P nonexistent true', { cwd: dir });
    same('posix-cd "" true', { cwd: dir });
    same('posix-cd a true', { cwd: dir, env: { PWD: '/nonexistent' } });
    same('posix-cd .. true', { cwd: dir, env: { PWD: '/nonexistent/' } });
    same('posix-cd nonexistent/.. true', { cwd: dir, env: { PWD: dir } });
    same('posix-cd a/../../x true', { cwd: dir, env: { PWD: join(dir, 'lnk') } });
    same('posix-cd a true', { cwd: dir, env: { PWD: 'relative' } });
    same('posix-cd / nonexistent-prog');
    same('fdclose 1 posix-cd -P -', { cwd: dir, env: { OLDPWD: '/' } });
    same('fdclose 1 posix-cd /');
    sameDirect('posix-cd', ['-Z']);
    sameDirect('posix-cd', ['/', 'pwd']);
  });
});
