// eltest (and s6-test): differential against the reference execline, expressions run in batches
// (each in a foreground block, followed by its exit code), on top of a few top-level runs:
// parsing with the reference's precedence and its error messages, integers as skalibs scans them,
// strings, the environment, file tests on a fixture tree, and =~ with POSIX extended regexps.
// 299 expressions in all.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../helpers.js';
import { same, type Opts } from './differential.js';

/** Runs the cases in batches: each case in a foreground block, then its label and exit code. */
function batch(cases: readonly string[], o: Opts = {}): void {
  for (let i = 0; i < cases.length; i += 25) {
    const script = cases
      .slice(i, i + 25)
      .map((c, j) => `foreground { echo case-${i + j} }\nforeground { ${c} }\nforeground { printenv ? }`)
      .join('\n');
    same(`${script}\nexit 0`, o);
  }
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'el-eltest-'));
  const f = join(dir, 'f');
  mkdirSync(join(f, 'sticky'), { recursive: true });
  chmodSync(join(f, 'sticky'), 0o1777);
  writeFileSync(join(f, 'full'), 'hi\n');
  writeFileSync(join(f, 'empty'), '');
  for (const [name, mode] of [
    ['suid', 0o4755],
    ['sgid', 0o2755],
    ['exe', 0o755],
    ['old', 0o644],
    ['new', 0o644],
  ] as const) {
    writeFileSync(join(f, name), '');
    chmodSync(join(f, name), mode);
  }
  symlinkSync('full', join(f, 'link'));
  symlinkSync('nowhere', join(f, 'dangling'));
  spawnSync('mkfifo', [join(f, 'fifo')]);
  spawnSync('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(join(f, 'sock'))})`]);
  utimesSync(join(f, 'old'), new Date('2001-01-01'), new Date('2001-01-01'));
  utimesSync(join(f, 'new'), new Date('2030-01-01'), new Date('2030-01-01'));
  // Times within one second: the reference compares whole seconds.
  for (const name of ['t1', 't2']) writeFileSync(join(f, name), '');
  utimesSync(join(f, 't1'), 1000.1, 1000.6);
  utimesSync(join(f, 't2'), 1000.1, 1000.9);
  // -N: modified since last read
  utimesSync(join(f, 'full'), new Date('2000-01-01'), new Date());
});

const logic = [
  'eltest',
  'eltest ""',
  'eltest a',
  'eltest a b',
  'eltest -n a = b',
  'eltest ( a',
  'eltest a )',
  'eltest ( a ) )',
  'eltest )',
  'eltest (',
  'eltest !',
  'eltest ! ! a',
  'eltest ! ! ! a',
  'eltest ! ""',
  'eltest -n',
  'eltest -n -n',
  'eltest =',
  'eltest a =',
  'eltest a = b c',
  'eltest a -a',
  'eltest -a a',
  'eltest a -o b -a ""',
  'eltest ( a -o b ) -a ""',
  'eltest "" -a b -o c',
  'eltest "" -a ( b -o c )',
  'eltest ! ( "" )',
  'eltest ! ( a ) -a b',
  'eltest ( ( a ) )',
  'eltest ( ( a )',
  'eltest ( )',
  'eltest ( a ) b',
  'eltest a -a -o b',
  'eltest a -o -a b',
  'eltest a -o b -o c -a ""',
  'eltest "" -o "" -o c',
  'eltest ! a -o b',
  'eltest ! "" -a ""',
  'eltest -n a -a -z ""',
  'eltest -z a -o -n ""',
  'eltest ( -n a ) -a ( -z "" )',
  'eltest ( ( ( a = a ) -a ( b != c ) ) -o "" )',
  'eltest \\\\-n = \\\\-n',
  'eltest \\\\',
  'eltest \\\\\\\\',
  'eltest -z \\\\',
  'eltest \\\\-a',
  'eltest \\\\( = (',
  'eltest a < b',
  'eltest b <= b',
  'eltest b > a',
  'eltest b >= c',
  'eltest a != a',
  'eltest a = a',
  'eltest A < a',
  'eltest -d ""',
];

const integers = [
  'eltest a -eq 1',
  'eltest 12abc -eq 12',
  'eltest +5 -eq 5',
  'eltest -5 -lt 0',
  'eltest 2147483648 -eq 2147483647',
  'eltest 99999999999 -gt 1',
  'eltest -2147483649 -eq -2147483648',
  'eltest -21474836480 -eq -2147483648',
  'eltest "" -eq 0',
  'eltest - -eq 0',
  'eltest + -eq 0',
  'eltest " 5" -eq 5',
  'eltest 007 -eq 7',
  'eltest 3 -ne 4',
  'eltest 3 -ge 3',
  'eltest 3 -le 2',
  'eltest 3 -gt 2',
  'eltest 3 -lt 3',
  'eltest 1 -eq x -o a',
  'eltest a -o 1 -eq x',
  'eltest -t x',
  'eltest -t 0',
  'eltest -t 99999999999',
  'eltest -t 1a',
  'eltest -t ""',
];

const env = [
  'eltest -v HOME',
  'eltest -v NOPE',
  'eltest -v ""',
  'eltest -v HOME=/root',
  'eltest -v PATH',
  'export X "" eltest -v X',
  'export X a=b eltest -v X=a',
];

const files = [
  'eltest -e f/full',
  'eltest -e f/nonexist',
  'eltest -e f/dangling',
  'eltest -f f/full',
  'eltest -f f/sticky',
  'eltest -f f/link',
  'eltest -d f/sticky',
  'eltest -d f/full',
  'eltest -h f/link',
  'eltest -L f/link',
  'eltest -L f/dangling',
  'eltest -h f/full',
  'eltest -k f/sticky',
  'eltest -k f/full',
  'eltest -p f/fifo',
  'eltest -p f/full',
  'eltest -S f/sock',
  'eltest -S f/full',
  'eltest -b /dev/loop0',
  'eltest -c /dev/null',
  'eltest -c f/full',
  'eltest -s f/full',
  'eltest -s f/empty',
  'eltest -s f/nonexist',
  'eltest -u f/suid',
  'eltest -u f/full',
  'eltest -g f/sgid',
  'eltest -g f/suid',
  'eltest -r f/full',
  'eltest -w f/full',
  'eltest -x f/exe',
  'eltest -x f/full',
  'eltest -x f/nonexist',
  'eltest -r f/nonexist',
  'eltest -O f/full',
  'eltest -U f/full',
  'eltest -G f/full',
  'eltest -O /nonexist',
  'eltest -N f/full',
  'eltest -N f/empty',
  'eltest f/new -nt f/old',
  'eltest f/old -nt f/new',
  'eltest f/old -ot f/new',
  'eltest f/new -ot f/old',
  'eltest f/x -nt f/old',
  'eltest f/old -nt f/x',
  'eltest f/x -ot f/old',
  'eltest f/old -ot f/x',
  'eltest f/full -ef f/link',
  'eltest f/full -ef f/empty',
  'eltest f/full -ef f/x',
  'eltest f/x -ef f/full',
  'eltest f/old -nt f/old',
];

const regex = [
  'eltest ab =~ a',
  'eltest ab =~ ^b',
  'eltest ab =~ b$',
  'eltest ab =~ ^ab$',
  'eltest ab =~ ^(ab|cd)$',
  'eltest cd =~ ^(ab|cd)$',
  'eltest abcd =~ ^(ab|cd)$',
  'eltest 2024 =~ ^[[:digit:]]+$',
  'eltest 20a4 =~ ^[[:digit:]]+$',
  'eltest a1 =~ ^[[:alpha:]][[:digit:]]$',
  'eltest "a b" =~ [[:space:]]',
  'eltest "a\\tb" =~ [[:blank:]]',
  'eltest ab =~ [[:upper:]]',
  'eltest aB =~ [[:upper:]]',
  'eltest ab =~ [[:lower:]]+$',
  'eltest ab =~ ^[[:alnum:]]{2}$',
  'eltest abc =~ ^[[:alnum:]]{2}$',
  'eltest a.b =~ [[:punct:]]',
  'eltest ff =~ ^[[:xdigit:]]{2}$',
  'eltest ab =~ [[:cntrl:]]',
  'eltest ab =~ [^[:alpha:]]',
  'eltest "a\\nb" =~ a.b',
  'eltest "a\\nb" =~ ^b',
  'eltest "a\\nb" =~ a$',
  'eltest ab =~ *a',
  'eltest ab =~ a**',
  'eltest ab =~ +a',
  'eltest ab =~ a{',
  'eltest ab =~ a{1',
  'eltest ab =~ a{1,2',
  'eltest ab =~ a{2,1}',
  'eltest ab =~ a{,2}',
  'eltest ab =~ a{99999}',
  'eltest ab =~ a{32767}',
  'eltest ab =~ a{32768}',
  'eltest ab =~ {1}',
  'eltest ab =~ a|',
  'eltest ab =~ |a',
  'eltest ab =~ ()',
  'eltest ab =~ a)',
  'eltest ab =~ [',
  'eltest ab =~ []',
  'eltest ab =~ []a]',
  'eltest ab =~ [a',
  'eltest ab =~ [[:foo:]]',
  'eltest ab =~ [[:digit:]',
  'eltest ab =~ [z-a]',
  'eltest ab =~ [a-]',
  'eltest ab =~ \\\\\\\\',
  'eltest ab =~ a\\\\\\\\',
  'eltest ab =~ (a|b',
  'eltest ab =~ \\\\\\\\(',
  'eltest ab =~ a{1}{2}',
  'eltest ab =~ a*{2}',
  'eltest ab =~ ^*',
  'eltest ab =~ a|*b',
  'eltest ab =~ (*a)',
  'eltest b =~ a+?',
  'eltest ab =~ x{0}',
  'eltest ab =~ [[.a.]]',
  'eltest ab =~ [[.ab.]]',
  'eltest ab =~ [[=a=]]',
  'eltest ab =~ [[.space.]]',
  'eltest ab =~ (a)\\\\\\\\1',
  'eltest aa =~ (a)\\\\\\\\1',
  'eltest ab =~ (a)\\\\\\\\2',
  'eltest ab =~ a?*',
  'eltest ab =~ [[:alpha:]-z]',
  'eltest ab =~ [a-[:alpha:]]',
  'eltest ab =~ [\\\\\\\\]',
  'eltest "a\\\\\\\\" =~ [\\\\\\\\]',
  'eltest ab =~ x*\\\\\\\\w',
  'eltest ab =~ x*\\\\\\\\W',
  'eltest ab =~ x*\\\\\\\\s',
  'eltest ab =~ x*\\\\\\\\S',
  'eltest ab =~ x*\\\\\\\\<b',
  'eltest ab =~ x*\\\\\\\\ba',
  'eltest ab =~ x*\\\\\\\\Bb',
  'eltest ab =~ x*\\\\\\\\`a',
  'eltest ab =~ "x*b\\\\\\\\\'"',
  'eltest ab =~ x*\\\\\\\\n',
  'eltest ab =~ a\\\\\\\\.b',
  'eltest a.b =~ a\\\\\\\\.b',
  'eltest ab =~ a{1,2,3}',
  'eltest ab =~ a{x}',
  'eltest ab =~ a{}',
  'eltest ab =~ a{,}',
  'eltest ab =~ "{"',
  'eltest ab =~ "}"',
  'eltest ab =~ a|{',
  'eltest ab =~ [^]',
  'eltest ab =~ [^]a]',
  'eltest ab =~ [--z]',
  'eltest ab =~ [a-c-e]',
  'eltest ab =~ [[:alpha:][:digit:]]',
  'eltest ab =~ a||b',
  'eltest ab =~ (|a)',
  'eltest ab =~ x$*',
  'eltest ab =~ (?:a)',
  'eltest ab =~ a{1,2}?',
  'eltest a] =~ [a]]',
  'eltest ] =~ []]',
  'eltest [ =~ [[]',
  'eltest "" =~ ""',
  'eltest "" =~ ^$',
  'eltest x =~ ^$',
  'eltest ab =~ (',
  'eltest ab =~ )',
  'eltest ab =~ =~',
  'eltest =~ =~ a',
  'eltest \\\\=~ =~ =',
  'eltest "é" =~ ^.$',
  'eltest "é" =~ ^..$',
  'eltest "é" =~ ^[^a]+$',
  'eltest a =~ [[:alpha:]] -a b =~ [[:digit:]]',
  'eltest a =~ [[:alpha:]] -o b =~ [[',
  'eltest "" -a b =~ [[',
  'eltest a -a b =~ [[',
  'eltest aa =~ (a)\\\\1',
  'eltest ab =~ (a)\\\\1',
  'eltest ab =~ (a)\\\\2',
  'eltest ab =~ a\\\\',
  'eltest ab =~ \\\\',
  'eltest ab =~ \\\\\\\\',
  'eltest ab =~ x*\\\\w',
  'eltest "a b" =~ x*\\\\W',
  'eltest "a b" =~ x*\\\\s',
  'eltest ab =~ x*\\\\S',
  'eltest ab =~ x*\\\\<b',
  'eltest ab =~ x*\\\\<a',
  'eltest ab =~ x*b\\\\>',
  'eltest ab =~ x*a\\\\>',
  'eltest ab =~ x*\\\\ba',
  'eltest ab =~ x*\\\\Bb',
  'eltest ab =~ x*\\\\`a',
  'eltest ab =~ x*\\\\`b',
  'eltest ab =~ "x*b\\\\\'"',
  'eltest ab =~ "x*a\\\\\'"',
  'eltest ab =~ x*\\\\n',
  'eltest a.b =~ a\\\\.b',
  'eltest axb =~ a\\\\.b',
  'eltest a|b =~ a\\\\|b',
  'eltest a+ =~ a\\\\+',
  'eltest a{ =~ a\\\\{',
  'eltest "a\\\\b" =~ [\\\\]',
  'eltest abab =~ ^(ab)\\\\1$',
  'eltest abab =~ ^(ab){2}$',
  'eltest xyz =~ ^(x|xy)z$',
  'eltest xyz =~ ^(x|xy)(z|yz)$',
  'eltest aaa =~ ^a{2,3}$',
  'eltest aaaa =~ ^a{2,3}$',
  'eltest a =~ ^a{0}$',
  'eltest "" =~ ^a{0}$',
  'eltest a-b =~ ^[a-]+-?b$',
  'eltest 5 =~ ^[0-9]$',
  'eltest x =~ [[:print:]]',
  'eltest x =~ [[:graph:]]',
  'eltest " " =~ [[:graph:]]',
  'eltest " " =~ [[:print:]]',
];

describe('eltest', () => {
  it('top level: exit codes and messages', () => {
    for (const c of ['eltest', 'eltest a', 'eltest ""', 'eltest a b', 'eltest ( a', 'eltest x -eq 1', 'eltest a =~ [', 'eltest -t x', 'eltest ! a -o b -a ""'])
      same(c);
  });
  it(`parsing, precedence and errors (${logic.length} expressions)`, () => {
    batch(logic);
  });
  it(`integers (${integers.length} expressions)`, () => {
    batch(integers);
  });
  it(`environment (${env.length} expressions)`, () => {
    batch(env, { env: { HOME: '/root' } });
  });
  it(`files (${files.length} expressions)`, () => {
    batch(files, { cwd: dir });
  });
  it(`regular expressions (${regex.length} expressions)`, () => {
    batch(regex);
  });
  it('compares file times to the second', () => {
    for (const t of ['f/t2 -nt f/t1', 'f/t1 -nt f/t2', 'f/t1 -ot f/t2', 'f/t2 -ot f/t1', '-N f/t1', '-N f/t2', 'f/new -nt f/t1', 'f/t1 -ot f/new'])
      same(`eltest ${t}`, { cwd: dir });
  });
  it('runs in a block and under pending credentials', () => {
    same('if { eltest a = a } echo yes');
    same('if { eltest a = b } echo yes');
    same('if -n { eltest -d f/full } echo notdir', { cwd: dir });
    same('foreground { eltest ( } importas ? ? echo $?');
    same('fdclose 1 eltest -t 1');
    same('fdmove -c 5 0 eltest -t 5');
    for (const t of ['-O f/full', '-G f/full', '-r f/full', '-w f/full', '-w f/sticky', '-x f/exe', '-x f/full', '-e f/full'])
      same(`s6-setuidgid nobody eltest ${t}`, { cwd: dir });
  });
});

describe('s6-test', () => {
  it('is eltest under its legacy name, with its own name in messages', () => {
    const t = (s: string) => runScript(s, { flags: [] });
    expect(t('s6-test a = a').status).toBe(0);
    expect(t('s6-test a = b').status).toBe(1);
    expect(t('s6-test').status).toBe(1);
    const e = t('s6-test a b');
    expect(e.status).toBe(100);
    expect(e.stderr).toBe('s6-test: fatal: parse error at argument 1\n');
    expect(t('s6-test x -eq 1').stderr).toBe('s6-test: fatal: -eq requires integer arguments\n');
  });
});
