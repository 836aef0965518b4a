// The linter, in process: for every rule, scripts where it must fire and scripts where it must
// stay silent; the directives; fixes; every script under examples/ lints clean; each rule has its
// page; the command table agrees with the commands' usage lines.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandTable } from '../../../interpreter/command/commands.generated.js';
import { COMMANDS } from '../../../interpreter/tooling/lint-commands.js';
import { decode, type Finding, lint, RULES } from '../../../interpreter/tooling/lint.js';
import { parse } from '../../../interpreter/tooling/parse.js';
import { ROOT } from '../../helpers.js';

const P = '#!/command/execlineb -P\n';
const S1 = '#!/command/execlineb -S1\n';

function ids(script: string, file = 'script'): string[] {
  return lint(script, { file }).map((f) => f.id);
}

function only(id: string, script: string, file?: string): Finding[] {
  return lint(script, { file: file ?? 'script' }).filter((f) => f.id === id);
}

/** Each case must make the rule fire (at least once). */
function fires(id: string, cases: Array<string | [string, string]>): void {
  for (const c of cases) {
    const [script, file] = typeof c === 'string' ? [c, undefined] : c;
    it(`${id} fires: ${JSON.stringify(script).slice(0, 90)}`, () => {
      expect(ids(script, file)).toContain(id);
    });
  }
}

/** Each case must leave the rule silent. */
function silent(id: string, cases: Array<string | [string, string]>): void {
  for (const c of cases) {
    const [script, file] = typeof c === 'string' ? [c, undefined] : c;
    it(`${id} silent: ${JSON.stringify(script).slice(0, 90)}`, () => {
      expect(ids(script, file)).not.toContain(id);
    });
  }
}

/** Applies one finding's fix to the script. */
function applyFix(script: string, f: Finding): string {
  const r = f.fix!.range;
  return script.slice(0, r.offset) + f.fix!.replacement + script.slice(r.endOffset);
}

describe('structure', () => {
  fires('EL100', [`${P}s6-echo "hello\n`]);
  fires('EL101', [`${P}foreground { s6-echo hi\n`, `${P}if { foreground { true }\n`]);
  fires('EL102', [`${P}s6-echo hi\n}\n`]);
  fires('EL103', [`${P}s6-echo "\\0x"\n`, `${P}s6-echo hi\0 more`]);
  silent('EL100', [`${P}s6-echo "hello"\n`, `${P}s6-echo "a \\" b"\n`]);
  silent('EL101', [`${P}foreground { s6-echo hi }\n`]);
  silent('EL102', [`${P}s6-echo "}"\n`, `${P}s6-echo \\}\n`, `${P}s6-echo \${X}\n`]);

  it('an unclosed block is reported at its {', () => {
    const [f] = only('EL101', `${P}foreground {\n  s6-echo hi\n`);
    expect([f.line, f.column]).toEqual([2, 12]);
  });
  it('an unterminated quote is reported at the quote', () => {
    const [f] = only('EL100', `${P}s6-echo x "hello\nmore\n`);
    expect([f.line, f.column]).toEqual([2, 11]);
  });

  fires('EL104', [`${P}foreground {s6-echo hi }\n`, `${P}foreground { s6-echo hi}\ns6-echo x\n`]);
  silent('EL104', [`${P}find . -exec rm {} ;\n`, `${P}s6-echo \${X}\n`, `${P}s6-echo "{a"\n`, `${P}s6-echo {a,b}\n`, `${P}s6-echo a\\}\n`]);
  it('EL104 fixes a glued brace', () => {
    const s = `${P}foreground {s6-echo hi }\ns6-echo x\n`;
    const f = only('EL104', s)[0];
    expect(applyFix(s, f)).toBe(`${P}foreground { s6-echo hi }\ns6-echo x\n`);
  });

  fires('EL105', [`${P}if eltest -f /x\ns6-echo y\n`, `${P}foreground s6-echo hi\n`, `${P}ifelse { true } s6-echo a\n`, `${P}backtick X s6-echo hi\n`]);
  silent('EL105', [`${P}if { eltest -f /x } s6-echo y\n`, `${P}ifelse { true } { s6-echo a } s6-echo b\n`, `${P}forx -E i { a b } s6-echo \${i}\n`]);

  fires('EL106', [`${P}ifelse { true } { s6-echo a } { s6-echo b }\n`, `${P}s6-echo hi { x }\n`]);
  silent('EL106', [`${P}ifthenelse { true } { s6-echo a } { s6-echo b }\n`, `${P}foreground { s6-echo a } s6-echo b\n`]);

  fires('EL107', [
    `${P}importas -x A A s6-echo \${A}\n`,
    `${P}redirfd -w 1\n`,
    `${P}fdmove -c 1\n`,
    `${P}importas -D\n`,
    `${P}redirfd -w /x prog\n`,
    `${P}fdmove -c 2 out prog\n`,
  ]);
  silent('EL107', [
    `${P}importas -i -u A A s6-echo \${A}\n`,
    `${P}importas -uD 1 A A s6-echo \${A}\n`,
    `${P}redirfd -wnb 1 /x prog\n`,
    `${P}fdmove -c 2 \${FD} prog\n`,
    `${P}eltest -f /x\n`,
    `${P}s6-softlimit -o 64 -c 0 prog\n`,
    `${P}exit\n`,
    `${P}backtick -D "x" -n V { true } prog\n`,
  ]);

  fires('EL110', ['\n#!/command/execlineb -P\ns6-echo hi\n', '  #!/command/execlineb -P\ns6-echo hi\n', '\xef\xbb\xbf#!/command/execlineb -P\ns6-echo hi\n']);
  silent('EL110', [`${P}s6-echo hi\n`, `${P}# a comment\n#!/not/a/shebang\ns6-echo hi\n`, 's6-echo hi\n#!x\n']);

  fires('EL111', [
    '#!/usr/bin/with-contenv bash -e\necho hi\n',
    '#!/command/execlineb -S1 -W\ns6-echo ${1}\n',
    '#!/usr/bin/env execlineb -P\ns6-echo hi\n',
    '#!/usr/bin/with-contenv execlineb -P\ns6-echo hi\n',
  ]);
  silent('EL111', [
    '#!/usr/bin/with-contenv bash\necho hi\n',
    '#!/command/execlineb -WP\ns6-echo hi\n',
    '#!/usr/bin/env -S execlineb -P\ns6-echo hi\n',
    '#!/bin/sh -e\necho hi\n',
    '#!/command/execlineb -P   \ns6-echo hi\n',
  ]);

  fires('EL112', [`${P.replace('\n', '\r\n')}s6-echo hi\r\n`, `${P}s6-echo hi\r\ns6-echo ho\n`, '#!/usr/bin/with-contenv sh\r\necho hi\r\n']);
  silent('EL112', [`${P}s6-echo hi\n`, `${P}s6-echo "a\rb"\n`]);
  it('EL112 is an error on the #! line and a warning elsewhere', () => {
    expect(only('EL112', `${P.replace('\n', '\r\n')}s6-echo hi\r\n`)[0].severity).toBe('error');
    expect(only('EL112', `${P}s6-echo hi\r\n`)[0].severity).toBe('warning');
  });

  fires('EL113', [
    ['s6-echo hi\n', 'svc/run'],
    ['s6-echo hi\n', 'finish'],
  ]);
  silent('EL113', [
    ['s6-echo hi\n', 'hello.el'],
    [`${P}s6-echo hi\n`, 'run'],
    ['s6-echo hi\n', 's6-rc.d/x/up'],
  ]);
});

describe('shell syntax', () => {
  fires('EL201', [`${P}s6-echo 'hello world'\n`, `${P}s6-echo 'x'\n`, `${P}cut -d ' ' -f1\n`, `${P}sh -c 'echo hi'\n`, `${P}prog --opt='a b'\n`]);
  silent('EL201', [`${P}s6-echo "it's"\n`, `${P}s6-echo don't\n`, `${P}sh -c "echo 'hi'"\n`]);
  it('EL201 fixes single quotes into double quotes when nothing inside needs escaping', () => {
    const s = `${P}s6-echo 'hello  world'\n`;
    const f = only('EL201', s)[0];
    expect(applyFix(s, f)).toBe(`${P}s6-echo "hello  world"\n`);
    const g = only('EL201', `${P}cut -d ' ' -f1\n`)[0];
    expect(g.fix?.replacement).toBe('" "');
    expect(only('EL201', `${P}s6-echo 'a $X'\n`)[0].fix).toBeUndefined();
  });

  fires('EL202', [
    `${P}prog > /dev/null\n`,
    `${P}prog 2>&1\n`,
    `${P}a | b\n`,
    `${P}a && b\n`,
    `${P}a ; b\n`,
    `${P}prog >/dev/null\n`,
    `${P}prog 2>/dev/null\n`,
    `${P}exec 2>&1\n`,
  ]);
  silent('EL202', [
    `${P}eltest a < b\n`,
    `${P}expr 1 > 2\n`,
    `${P}find . -exec rm {} ;\n`,
    `${P}find /src -type d -exec cd {} forx -E s { a b } if { eltest -f $s } rm -- $s ;\n`,
    `${P}s6-echo ">"\n`,
    `${P}s6-echo \\>\n`,
    `${P}sh -c "a | b"\n`,
    `${P}s6-echo a>b\n`,
  ]);

  fires('EL203', [`${P}export FOO=bar\ns6-echo x\n`, `${P}FOO=bar prog\n`, `${P}FOO=bar\n`]);
  silent('EL203', [`${P}export FOO bar\nprog\n`, `${P}prog FOO=bar\n`, `${P}env FOO=bar prog\n`]);
  it('EL203 fixes export VAR=value', () => {
    const s = `${P}export FOO="a b" prog\n`;
    expect(applyFix(s, only('EL203', s)[0])).toBe(`${P}export FOO "a b" prog\n`);
    const t = `${P}FOO=1 prog\n`;
    expect(applyFix(t, only('EL203', t)[0])).toBe(`${P}export FOO 1 prog\n`);
  });

  fires('EL204', [
    `${P}s6-echo \${PORT:-8080}\n`,
    `${P}s6-echo "\${X:=y}"\n`,
    `${P}s6-echo \${#X}\n`,
    `${P}s6-echo \${X%.txt}\n`,
    `${P}s6-echo \${X##*/}\n`,
    `${P}s6-echo \${X/a/b}\n`,
    `${P}s6-echo $$\n`,
  ]);
  silent('EL204', [
    // $! once importas has bound it: execline substitutes it
    `${P}background { sleep 0 } importas -u ! ! wait { $! }\n`,
    `${P}prog --password "pa$$word"\n`,
    `${P}sh -c "echo \${PORT:-8080} $$"\n`,
    `${P}s6-echo \${PORT}\n`,
    `${P}s6-echo \${#}\n`,
    `${P}awk "{ print \${X:-y} }"\n`,
  ]);

  fires('EL205', [
    `${P}if { test "$(id -u)" = 0 } prog\n`,
    `${P}logger "now: $(date)"\n`,
    `${P}s6-echo $(date)\n`,
    `${P}s6-echo \`date\`\n`,
    `${P}s6-echo "now: $(date)"\n`,
    `${P}s6-echo $((1+2))\n`,
    // a backquoted command with arguments: execlineb splits it into words (`hostname, -i`)
    `${P}consul agent -bind \`hostname -i\`\n`,
  ]);
  silent('EL205', [`${P}sh -c "echo $(date)"\n`, `${P}sh -c "echo \`date\`"\n`, `${P}s6-echo "\\$(x)"\n`]);

  fires('EL206', [
    `${P}sed -e s/^[^.]*\\.// /x\n`,
    `${P}perl -pe s/a\\.b// /x\n`,
    `${P}printf %s\\n x\n`,
    `${P}grep foo\\.bar /x\n`,
    `${P}s6-echo "\\e[31m"\n`,
    `${P}define X 1 s6-echo \\$X\n`,
  ]);
  silent('EL206', [
    `${P}s6-echo "a\\nb\\t\\"c\\\\"\n`,
    `${P}s6-echo a\\ b\n`,
    `${P}find . -exec rm {} \\;\n`,
    `${P}s6-echo \\$HOME\n`,
    `${P}s6-echo "\\065"\n`,
    `${P}s6-echo "\\0x41"\n`,
  ]);

  fires('EL207', [`${P}set -e\nprog\n`, `${P}unset X\n`, `${P}source /etc/profile\n`, `${P}ulimit -n 64\n`]);
  silent('EL207', [`${P}s6-echo set\n`, `${P}test -f x\n`, `${P}prog unset\n`]);
});

describe('substitution', () => {
  fires('EL301', [
    `${P}s6-echo $HOME\n`,
    `${P}s6-echo "\${PORT}"\n`,
    `${P}foreground { define X 1 } s6-echo \${X}\n`,
    `${P}s6-echo \${X}\ndefine X 1 true\n`,
    `${P}s6-echo $?\n`,
  ]);
  fires('EL301', [`${P}find /src -type d -exec cd {} forx -E s { a b } rm -- $t ;\n`]);
  silent('EL301', [
    `${P}find /src -type d -exec cd {} forx -E s { a b } if { eltest -f $s } rm -- $s ;\n`,
    `${P}s6-notifyoncheck -d -c "nc -z localhost 80" importas X X prog \${X}\n`,
    `${P}s6-env A=1 importas X X prog \${X}\n`,
    `${P}importas HOME HOME s6-echo $HOME\n`,
    `${P}define X 1 foreground { s6-echo \${X} } s6-echo \${X}\n`,
    `${P}sh -c "echo $HOME"\n`,
    `${P}awk "{ print $NF }"\n`,
    `${P}elglob F /x/* s6-echo \${F}\n`,
    `${P}multisubstitute { define A 1 importas B B } s6-echo \${A} \${B}\n`,
    `${P}multidefine "a b" { A B } s6-echo \${A} \${B}\n`,
    `${P}backtick -E V { date } s6-echo \${V}\n`,
    `${P}forx -E i { a b } s6-echo \${i}\n`,
    `${P}forstdin -E line s6-echo \${line}\n`,
    `${P}getpid -E PID s6-echo \${PID}\n`,
    `${P}getcwd -E D s6-echo \${D}\n`,
    `${P}withstdinas -E IN s6-echo \${IN}\n`,
    `${P}s6-echo \\\\$HOME\n`,
    `${P}s6-echo "price: $"\n`,
    `${P}importas -u STATUS ? s6-echo \${STATUS}\n`,
    `${P}nice -n 5 importas X X s6-echo \${X}\n`,
    `${P}foreground { importas X X s6-echo \${X} } true\n`,
    `${P}/usr/bin/importas X X s6-echo \${X}\n`,
  ]);
  it('EL301 explains $? and a key of the same multisubstitute', () => {
    expect(only('EL301', `${P}s6-echo $?\n`)[0].message).toMatch(/importas -u STATUS \?/);
    expect(only('EL301', `${P}multisubstitute { define A 1 define B \${A} } s6-echo \${B}\n`)[0].message).toMatch(/same multisubstitute/);
  });

  fires('EL302', [`${P}s6-echo \${1}\n`, `${P}s6-echo $@\n`, '#!/command/execlineb\ns6-echo ${1}\n', '#!/command/execlineb -S1\ns6-echo ${2}\n']);
  silent('EL302', [
    `${S1}s6-echo \${1} $# $@ $0\n`,
    '#!/command/execlineb -s2\ns6-echo ${2} $@\n',
    's6-echo ${1}\n',
    `${P}elgetpositionals s6-echo \${1}\n`,
    `${P}sh -c "echo $1" sh x\n`,
    `${P}importas -D 0 N 1 s6-echo \${N}\n`,
  ]);
  it('EL302 severities: error under -P, warning with no option, info beyond -S n', () => {
    expect(only('EL302', `${P}s6-echo \${1}\n`)[0].severity).toBe('error');
    expect(only('EL302', '#!/command/execlineb\ns6-echo ${1}\n')[0].severity).toBe('warning');
    expect(only('EL302', '#!/command/execlineb -S1\ns6-echo ${2}\n')[0].severity).toBe('info');
  });

  fires('EL303', [`${P}define D /x s6-echo $D/y\n`, `${S1}s6-echo $1.txt\n`, `${P}importas HOME HOME s6-echo $HOME-x\n`]);
  silent('EL303', [`${P}define D /x s6-echo \${D}/y $D\n`, `${P}s6-echo $D/y\n`]);
  it('EL303 fixes $NAME into ${NAME}', () => {
    const s = `${P}define D /x s6-echo "at $D/y"\n`;
    expect(applyFix(s, only('EL303', s)[0])).toBe(`${P}define D /x s6-echo "at \${D}/y"\n`);
  });

  fires('EL304', [
    `${P}importas PORT PORT s6-echo hi\n`,
    `${P}importas -u port PORT s6-echo \${PORT}\n`,
    `${P}multisubstitute { importas A A importas B B } s6-echo \${A}\n`,
  ]);
  silent('EL304', [
    `${P}importas PORT PORT s6-echo \${PORT}\n`,
    `${P}importas Q Q sh -c "echo \${Q}"\n`,
    `${P}importas X X foreground { s6-echo $X } true\n`,
    `${P}define X 1 s6-echo hi\n`,
    `${P}importas -u \${v} \${v} prog\n`,
  ]);

  fires('EL305', [`${P}importas -i CMD CMD \${CMD}\n`, `${P}define OPTS "-a -b" prog \${OPTS}\n`, `${P}importas EXTRA_ARGS EXTRA_ARGS prog \${EXTRA_ARGS}\n`]);
  silent('EL305', [
    `${P}define -s OPTS "-a -b" prog \${OPTS}\n`,
    `${P}define OPTS "-a -b" prog "\${OPTS}"\n`,
    `${P}define MSG "a b" s6-echo \${MSG}\n`,
    `${P}importas PORT PORT prog \${PORT}\n`,
    `${P}importas -s ARGS ARGS prog \${ARGS}\n`,
    `${P}importas -i CMD CMD prog \${CMD}\n`,
  ]);
  it('EL305 is info', () => {
    expect(only('EL305', `${P}define OPTS "-a -b" prog \${OPTS}\n`)[0].severity).toBe('info');
  });

  fires('EL306', [`${P}backtick -N V { date } importas V V s6-echo "at \${V}!"\n`, `${P}withstdinas -N -E V s6-echo x\${V}\n`]);
  silent('EL306', [
    `${P}backtick -n -E V { date } s6-echo x\${V}\n`,
    `${P}backtick -N -E V { date } s6-echo \${V}\n`,
    `${P}backtick -E V { date } s6-echo \${V}\n`,
    `${P}withstdinas -E V s6-echo x\${V}\n`,
    `${P}backtick -E V { date } s6-echo x\${V}\n`,
  ]);

  fires('EL307', [
    `${P}backtick X { date } s6-echo \${X}\n`,
    `${P}forx i { a b } s6-echo $i\n`,
    `${P}getpid P s6-echo $P\n`,
    `${P}export X 1 s6-echo \${X}\n`,
    `${P}s6-envuidgid nobody s6-echo \${UID}\n`,
  ]);
  it('EL307 advises -E only to commands that have it', () => {
    const msg = (t: string) => lint(t).find((f) => f.id === 'EL307')?.message ?? '';
    expect(msg(`${P}s6-envuidgid nobody s6-echo \${UID}\n`)).not.toContain('-E');
    expect(msg(`${P}s6-envuidgid nobody s6-echo \${UID}\n`)).toContain('importas UID UID');
    expect(msg(`${P}getpid P s6-echo $P\n`)).toContain('add -E to getpid');
  });
  silent('EL307', [`${P}backtick X { date } importas X X s6-echo \${X}\n`, `${P}backtick X { date } sh -c "echo $X"\n`, `${P}forx -E i { a } s6-echo $i\n`]);
});

describe('s6', () => {
  fires('EL401', [`${P}s6-setuidgid user:group prog\n`, `${P}s6-setuidgid nobody:1000 prog\n`]);
  silent('EL401', [`${P}s6-setuidgid nobody prog\n`, `${P}s6-setuidgid 1000:1000 prog\n`, `${P}s6-setuidgid \${PUID}:\${PGID} prog\n`]);

  fires('EL402', [
    [`${P}s6-echo "exit \${1}"\n`, 'svc/finish'],
    ['#!/command/execlineb\ns6-echo ${1}\n', 'finish'],
  ]);
  silent('EL402', [
    [`${S1}s6-echo "exit \${1} signal \${2}"\n`, 'svc/finish'],
    [`${P}s6-echo \${1}\n`, 'svc/run'],
    ['#!/command/execlineb -S0\nredirfd -w 1 /x s6-echo -n -- "${1}"\n', 'finish'],
  ]);
  it('EL402 fixes the #! line: -P becomes -S N, N the highest parameter used', () => {
    const s = `${P}s6-echo \${1} \${2}\n`;
    const f = only('EL402', s, 'finish')[0];
    expect(applyFix(s, f)).toBe('#!/command/execlineb -S2\ns6-echo ${1} ${2}\n');
    const t = '#!/command/execlineb\ns6-echo ${1}\n';
    expect(applyFix(t, only('EL402', t, 'finish')[0])).toBe('#!/command/execlineb -S1\ns6-echo ${1}\n');
  });

  fires('EL403', [
    `${S1}if -n { eltest \${1} -eq 0 } s6-echo failed\n`,
    `${S1}ifelse -n { eltest \${1} = x } { a } b\n`,
    `${P}if -nt { s6-test $X -gt 1 } b\n`,
  ]);
  silent('EL403', [
    // a unary test of one word is false on an empty value, never an error
    `${P}importas -D "" D D if -n { eltest -z $D } true\n`,
    `${P}importas -D "" D D if -n { eltest -d $D } true\n`,
    `${S1}if { eltest ! \${1} -eq 0 } s6-echo failed\n`,
    `${P}if -n { eltest -f /x } b\n`,
    `${P}if -n { grep -q x /y } b\n`,
  ]);

  fires('EL108', [
    `${P}redirfd -w 1 /x\n`,
    `${P}foreground { fdmove -c 2 1 } true\n`,
    `${P}heredoc 0 str\n`,
    `${P}s6-setuidgid nobody\n`,
    `${P}export A b\n`,
    `${P}pipeline { true }\n`,
  ]);
  silent('EL108', [
    `${P}foreground { true }\n`,
    `${P}if { true }\n`,
    `${P}importas -D x X X\n`,
    `${P}define A b\n`,
    `${P}redirfd -w 1 /x s6-echo a\n`,
    `${P}fdmove 1\n`,
  ]);

  fires('EL404', [`${P}import HOME s6-echo \${HOME}\n`, `${P}s6-test -f /x\n`, `${P}if { s6-test -f /x } b\n`]);
  silent('EL404', [`${P}importas HOME HOME s6-echo \${HOME}\n`, `${P}eltest -f /x\n`]);
  it('EL404 fixes import and s6-test', () => {
    const s = `${P}import -u HOME s6-echo \${HOME}\n`;
    expect(applyFix(s, only('EL404', s)[0])).toBe(`${P}importas -u HOME HOME s6-echo \${HOME}\n`);
    const t = `${P}s6-test -f /x\n`;
    expect(applyFix(t, only('EL404', t)[0])).toBe(`${P}eltest -f /x\n`);
  });

  fires('EL405', [`${P}multisubstitute { backtick X { date } } s6-echo \${X}\n`, `${P}multisubstitute { import A } s6-echo \${A}\n`]);
  silent('EL405', [`${P}multisubstitute { elgetpositionals elglob G /x* multidefine a { A } } s6-echo \${A}\n`]);
});

describe('directives', () => {
  it('disable= covers the next command only', () => {
    const s = `${P}# execline-lint disable=EL301\nforeground { s6-echo $HOME }\ns6-echo $HOME\n`;
    expect(only('EL301', s).map((f) => f.line)).toEqual([4]);
  });
  it('disable= covers the whole next command, blocks included, and takes a list', () => {
    const s = `${P}# execline-lint disable=EL301, EL201\nforeground {\n  s6-echo $HOME 'x'\n}\ns6-echo $HOME\n`;
    expect(ids(s)).toEqual(['EL301']);
  });
  it('disable= at the end of a line of words covers that line', () => {
    const s = `${P}s6-echo $HOME # execline-lint disable=EL301\ns6-echo $HOME\n`;
    expect(only('EL301', s).map((f) => f.line)).toEqual([3]);
  });
  it('disable-file= covers the file', () => {
    const s = `${P}foreground { s6-echo $HOME }\n# execline-lint disable-file=EL301\ns6-echo $HOME\n`;
    expect(only('EL301', s)).toEqual([]);
  });
  it('disable=all covers every rule for the next command', () => {
    const s = `${P}# execline-lint disable=all\ns6-echo $HOME 'x' \${1}\n`;
    expect(ids(s)).toEqual([]);
  });
  it('a directive for another rule changes nothing', () => {
    const s = `${P}# execline-lint disable=EL304\ns6-echo $HOME\n`;
    expect(ids(s)).toEqual(['EL301']);
  });
});

describe('other languages', () => {
  it('a script for another interpreter is judged on its #! line only', () => {
    expect(ids('#!/usr/bin/with-contenv sh\nprintf \'%s\\n\' "${X:-y}" > /x\n')).toEqual([]);
    expect(ids('#!/bin/bash\nif [ -f x ]; then echo $(date); fi\n')).toEqual([]);
  });
  it('finding positions are bytes, 1-based, end exclusive', () => {
    // é is two bytes in UTF-8: the script as bytes (latin1 string) puts $HOME at byte column 14
    const [f] = lint(Buffer.from(`${P}s6-echo "é" $HOME\n`).toString('latin1'), { file: 'f' });
    expect(f).toMatchObject({ file: 'f', line: 2, column: 14, endLine: 2, endColumn: 19, severity: 'warning', id: 'EL301' });
  });
});

describe('robustness', () => {
  const ALPHABET = [
    'if',
    'foreground',
    'importas',
    '-u',
    'X',
    'define',
    '$X',
    '${X}',
    '${1}',
    '$@',
    '{',
    '}',
    '"',
    "'",
    '\\',
    '\\n',
    '#',
    '\n',
    ' ',
    ' ',
    'a',
    '$',
    'backtick',
    '-E',
    'forx',
    'multisubstitute',
    's6-echo',
    '>',
    '2>&1',
    '\r\n',
    '\t',
    'export',
    'A=b',
    '$(',
    '`',
    '\\0x41',
    '\\065',
    '\xc3\xa9',
    '\0',
    'ifelse',
    '-n',
    'eltest',
    'case',
    'trap',
    'multidefine',
    'elgetpositionals',
  ];
  let seed = 20240601;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const scripts: string[] = [];
  for (let k = 0; k < 3000; k++) {
    let s = rnd(2) ? '#!/command/execlineb -S1\n' : '';
    for (let i = rnd(40); i > 0; i--) s += ALPHABET[rnd(ALPHABET.length)];
    scripts.push(s);
  }

  it('random scripts: no exception, every position and fix range inside the script', () => {
    for (const s of scripts) {
      for (const f of lint(s, { file: s.length & 1 ? 'finish' : 'x' })) {
        expect(f.line, s).toBeGreaterThanOrEqual(1);
        expect(f.column, s).toBeGreaterThanOrEqual(1);
        expect(f.endLine > f.line || (f.endLine === f.line && f.endColumn >= f.column), s).toBe(true);
        if (f.fix) expect(f.fix.range.offset <= f.fix.range.endOffset && f.fix.range.endOffset <= s.length, s).toBe(true);
      }
    }
  });

  it("the linter reads every word's bytes as the parser does (so positions inside words are exact)", () => {
    const words = (items: ReturnType<typeof parse>['items'], out: Array<{ raw: string; value: string }>) => {
      for (const n of items)
        if (n.kind === 'block') words(n.items, out);
        else if (n.arg === undefined) out.push(n);
      return out;
    };
    for (const s of scripts) {
      const script = parse(s);
      if (script.errors.length) continue;
      for (const w of words(script.items, [])) expect(decode(w.raw).value, JSON.stringify(w.raw)).toBe(w.value);
    }
  });

  it('deep nesting and long chains', () => {
    const deep = `${P}${'foreground { '.repeat(3000)}s6-echo $HOME${' }'.repeat(3000)}\n`;
    expect(ids(deep)).toEqual(['EL301']);
    const long = `${P}${'fdmove -c 2 1\n'.repeat(20000)}s6-echo $HOME\n`;
    expect(ids(long)).toEqual(['EL301']);
    // every command binds a key: each one's scope is a copy of the one before (copies share their entries)
    const keys = Array.from({ length: 20000 }, (_, i) => `define K${i} ${i}\n`).join('');
    expect(lint(`${P}${keys}s6-echo \${K0} \${K12345} \${K19999} $HOME $K20000\n`).map((f) => [f.id, f.column])).toEqual([
      ['EL301', 35],
      ['EL301', 41],
    ]);
  });

  it('blocks nested 100,000 deep: every level walked', () => {
    const N = 100_000;
    const deep = `${P}${'foreground { '.repeat(N)}s6-echo $HOME${' }'.repeat(N)}\n`;
    expect(lint(deep).map((f) => [f.id, f.line, f.column])).toEqual([['EL301', 2, 13 * N + 9]]);
  });
});

describe('examples', () => {
  const scripts: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(join(ROOT, d))) {
      const p = join(d, e);
      if (statSync(join(ROOT, p)).isDirectory()) walk(p);
      else if (p.endsWith('.el') || readFileSync(join(ROOT, p), 'latin1').startsWith('#!')) scripts.push(p);
    }
  };
  walk('examples');
  it('there are example scripts', () => expect(scripts.length).toBeGreaterThan(5));
  for (const s of scripts)
    it(`${s} lints clean`, () => {
      expect(lint(readFileSync(join(ROOT, s), 'latin1'), { file: s })).toEqual([]);
    });
});

describe('rules', () => {
  it('IDs are unique and each has its page in docs/lint/', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      const page = join(ROOT, 'docs/lint', `${r.id}.md`);
      expect(existsSync(page), page).toBe(true);
      expect(readFileSync(page, 'utf8')).toMatch(new RegExp(`^# ${r.id}`));
    }
  });

  for (const r of RULES)
    it(`docs/lint/${r.id}.md: its example fires ${r.id}, its fixed version lints clean`, () => {
      const page = readFileSync(join(ROOT, 'docs/lint', `${r.id}.md`), 'utf8');
      const blocks = [...page.matchAll(/^```\n([\s\S]*?)^```$/gm)].map((m) => Buffer.from(m[1].replace(/\\r$/gm, '\r')).toString('latin1'));
      expect(blocks.length, 'two examples').toBeGreaterThanOrEqual(2);
      const file = r.id === 'EL113' ? 'run' : r.id === 'EL402' ? 'finish' : 'example';
      expect(ids(blocks[0], file)).toContain(r.id);
      expect(lint(blocks[1], { file })).toEqual([]);
    });

  it('the command table knows every option of every command', async () => {
    for (const entry of commandTable) {
      const cmd = await entry.load();
      for (const name of entry.names) {
        const spec = COMMANDS[name];
        expect(spec, name).toBeDefined();
        if (name === 'multisubstitute' || name === 'eltest' || name === 's6-test') continue;
        const letters = [...cmd.usage.matchAll(/(?:^|[[\s|])-([A-Za-z0-9])\b/g)].map((m) => m[1]);
        for (const l of letters) expect(spec.opts, `${name} -${l}`).toContain(l);
      }
    }
  });
});
