// loopwhilex against the reference: -n, -o, -x and their combinations, exit codes, crashes,
// spawn failures, and bodies made of our own commands (run as virtual children).
import { describe, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { same } from './compare.js';

// Each run counts in ./cnt and fails from the third run on.
const INC = 'sh -c "n=$(cat cnt); n=$((n+1)); echo $n > cnt; echo it$n; test $n -lt 3"';

describe('loopwhilex', () => {
  it.each([
    `loopwhilex ${INC}`,
    `loopwhilex -n ${INC}`,
    `loopwhilex -o 0 ${INC}`,
    `loopwhilex -x 1 ${INC}`,
    `loopwhilex -n -x 1 ${INC}`,
    `loopwhilex -n -o 0 ${INC}`,
    `loopwhilex -x 0 ${INC}`,
    `loopwhilex -o 0,1 -o 0 ${INC}`,
    `loopwhilex -o 1 ${INC}`,
    `loopwhilex foreground { ${INC} } importas -ui ? ? exit $?`,
    `loopwhilex if { ${INC} }`,
    'loopwhilex sh -c "exit 200"',
    'loopwhilex -o 0 sh -c "kill -9 $$"',
    'loopwhilex -o 137 sh -c "echo x; exit 1"',
    'loopwhilex -n exit 0',
    'loopwhilex -n -o 3 exit 3',
    'loopwhilex exit 4',
    'loopwhilex nosuchprog',
    'loopwhilex " nosuchprog"',
    'loopwhilex /etc/passwd',
    'loopwhilex',
    'loopwhilex -o a true',
    'loopwhilex -Z true',
    'loopwhilex foreground { echo a } false',
    'loopwhilex importas -D 0 x x false',
  ])('%s', (script) => {
    const cwd = mkdtempSync(join(tmpdir(), 'loopwhilex-'));
    writeFileSync(join(cwd, 'cnt'), '0\n');
    const cwd2 = mkdtempSync(join(tmpdir(), 'loopwhilex-'));
    writeFileSync(join(cwd2, 'cnt'), '0\n');
    // both runs need a fresh counter: same() runs ours first, then the reference
    same(`cd ${cwd} foreground { cp ${cwd2}/cnt cnt } ${script}`, { cwd });
  });
});
