// elglob against the reference (glob(3)): every option, sorting, marks, escapes, dotfiles,
// unreadable directories, and its use as a multisubstitute directive.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { same } from './compare.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'elglob-spec-'));
  for (const f of ['a1', 'a2', 'b', '.hid']) writeFileSync(join(dir, f), '');
  mkdirSync(join(dir, 'd/sub'), { recursive: true });
  mkdirSync(join(dir, 'e'));
  writeFileSync(join(dir, 'd/x'), '');
  writeFileSync(join(dir, 'd/.y'), '');
});

describe('elglob', () => {
  it.each([
    'elglob X [ab]? echo $X',
    'elglob X * echo $X',
    'elglob -s X * echo $X',
    'elglob -s -m X * echo $X',
    'elglob X nomatch* echo $X',
    'elglob -0 X nomatch* printf "[%s]\\n" $X end',
    'elglob -0 X a1 echo $X',
    'elglob -0 X zz printf "[%s]\\n" $X end',
    'elglob X e/* echo $X',
    'elglob -s X d/* echo $X',
    'elglob -s X d/.* echo $X',
    'elglob -s X .* echo $X',
    'elglob -s X d/? echo $X',
    'elglob -s X \\\\a* echo $X',
    'elglob -s -e X \\\\a* echo $X',
    'elglob -s X a\\\\1 echo $X',
    'elglob -s -e X a\\\\1 echo $X',
    'elglob -s X \\\\q* echo $X',
    'elglob -s X */ echo $X',
    'elglob -s X d/*/ echo $X',
    'elglob -s X */* echo $X',
    'elglob -s X */x echo $X',
    'elglob -s -m X d/* echo $X',
    'elglob -s X [!a]* echo $X',
    'elglob -s X [[:alpha:]]? echo $X',
    'elglob -s X [!]]* echo $X',
    'elglob -s X [a echo $X',
    'elglob -s X *[] echo $X',
    'elglob -s X ./a? echo $X',
    'elglob -s X d//x echo $X',
    'elglob -s X "" printf "[%s]\\n" $X',
    'elglob -s X {a1,b} echo $X',
    'elglob -s X ~ echo $X',
    'elglob -s X /tm? echo $X',
    'elglob -v X nodir/* echo $X',
    'elglob -w X nodir/* echo $X',
    'elglob -v -w X nodir/* echo $X',
    'elglob -w -v X a1/* echo $X',
    'elglob X',
    'elglob -x X * echo',
    'elglob "" * echo',
    'elglob X *',
    'elglob -s X a* elglob -s Y b* echo $X $Y',
    'elglob -s X a? printf "[%s]\\n" $X',
    'multisubstitute { elglob -s X a* define Y y } echo $X $Y',
    'multisubstitute { elglob -w X nodir/* } echo $X',
    'multisubstitute { elglob -s X a* define X y } echo $X',
    'multisubstitute { elglob -s X } echo $X',
  ])('%s', (script) => {
    same(script, { cwd: dir });
  });
});
