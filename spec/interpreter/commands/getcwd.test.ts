// getcwd: differential against the reference execline.
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { fixtures, same, sameVia } from './differential.js';

describe('getcwd', () => {
  it('stores the working directory', () => {
    same('getcwd P printenv P');
    same('getcwd P printenv P', { cwd: fixtures() });
  });
  it('resolves symbolic links', () => {
    const base = mkdtempSync(join(tmpdir(), 'el-cwd-'));
    mkdirSync(join(base, 'real'));
    symlinkSync(join(base, 'real'), join(base, 'link'));
    same('getcwd X printenv X', { cwd: join(base, 'link') });
  });
  it('-E substitutes instead of exporting; -e does not', () => {
    same('getcwd -E P echo $P');
    same('getcwd -E P importas -D unset p P echo $p');
    same('getcwd -e -E X echo $X');
    same('getcwd -E -e X echo $X');
  });
  it('usage and errors', () => {
    same('getcwd');
    same('getcwd X');
    same('getcwd -Z X echo');
    same('getcwd a=b echo');
    same('getcwd "" echo');
    same('getcwd X nonexist');
    // A deleted working directory (each side makes and deletes its own).
    sameVia('/bin/sh', ['-c', 'd=$(mktemp -d) && cd "$d" && rmdir "$d" && exec execlineb -c "getcwd X echo x"']);
  });
});
