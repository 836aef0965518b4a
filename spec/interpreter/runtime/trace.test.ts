// EXECLINE_TRACE=1 (interpreter/runtime/trace.ts): each step printed to the step's stderr before
// it runs, indented by nesting level, without changing stdout, exit codes or what runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quote } from '../../../interpreter/language/quote.js';
import { BIN, OURS_PATH, runScriptAsync, spawnAsync, type Run } from '../../helpers.js';

const EXECLINEB = join(BIN, 'execlineb');
const dir = mkdtempSync(join(tmpdir(), 'trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRACE_LINE = /^ *\+ /;
const notTrace = (s: string) =>
  s
    .split('\n')
    .filter((l) => !TRACE_LINE.test(l))
    .join('\n');
const traceLines = (s: string) => s.split('\n').filter((l) => TRACE_LINE.test(l));

function run(script: string, trace: string | undefined, opts: { flags?: string[]; args?: string[]; env?: Record<string, string> } = {}): Promise<Run> {
  const env: Record<string, string> = { ...(opts.env ?? {}) };
  if (trace !== undefined) env.EXECLINE_TRACE = trace;
  return runScriptAsync(script, { ...opts, env });
}

/** The first trace line: execlineb itself, as the tests start it. */
const head = (script: string, flags = '-P') => `+ ${EXECLINEB} ${flags} -c ${quote(script, { visible: true })}`;

describe('EXECLINE_TRACE: nothing changes but stderr', () => {
  // Realistic run scripts. Where fd 2 is made fd 1 (fdmove -c 2 1, as a supervised run script
  // does for its logger), the steps after it are traced to stdout: that is where their stderr is.
  const scripts: Array<[string, Record<string, string>?]> = [
    ['fdmove -c 2 1 s6-echo hi'],
    ['fdmove -c 2 1 foreground { s6-echo a } sh -c "echo err >&2; echo out"'],
    ['importas -D def X X s6-echo $X', { X: 'a b' }],
    ['importas -D def X X s6-echo $X'],
    ['foreground { s6-echo a } if { true } ifelse { false } { s6-echo no } s6-echo yes'],
    ['if { false } s6-echo never'],
    ['foreground { forx -E i { 1 2 3 } s6-echo $i } forx -p -E j { a b } true'],
    ['pipeline { s6-echo piped } cat'],
    ['pipeline { foreground { s6-echo a } export Z 1 printenv Z } sed s/^/>/'],
    ['backtick -E X { s6-echo val } s6-echo got $X'],
    ['s6-envuidgid nobody s6-applyuidgid -U sh -c "id -u"'],
    ['foreground { s6-envuidgid nobody s6-applyuidgid -U getpid P s6-echo in } s6-echo out'],
    ['s6-setsid -q s6-echo ok'],
    ['foreground { s6-setsid -q s6-echo in } s6-echo out'],
    ['background { getpid P true } wait { } s6-echo done'],
    ['foreground { exit 3 } importas ? ? exit $?'],
    ['nosuchprogram x'],
    ['foreground { nosuchprogram } s6-echo after'],
    ['fdclose 2 foreground { s6-echo a } s6-echo b'],
    ['redirfd -w 2 /dev/null foreground { s6-echo a } s6-echo b'],
    ['export EXECLINE_TRACE 0 s6-echo x'],
  ];
  for (const [script, env] of scripts) {
    it(script, async () => {
      const off = await run(script, undefined, { env });
      const on = await run(script, '1', { env });
      expect(on.status).toBe(off.status);
      expect(on.signal).toBe(off.signal);
      expect(notTrace(on.stdout)).toBe(off.stdout);
      expect(notTrace(on.stderr)).toBe(off.stderr);
      expect(traceLines(on.stderr).length).toBeGreaterThan(0);
      if (!script.includes('fdmove -c 2 1')) expect(traceLines(on.stdout)).toEqual([]);
    });
  }

  it('an execlineb -P run script with positional arguments, and -S2', async () => {
    const file = join(dir, 'run');
    writeFileSync(file, `#!${EXECLINEB} -S2\nforeground { s6-echo $1 } fdmove -c 2 1 s6-echo $2 $@\n`);
    chmodSync(file, 0o755);
    const plain = join(dir, 'run-p');
    writeFileSync(plain, `#!${EXECLINEB} -P\nimportas -D none 1 1 s6-echo $1\n`);
    chmodSync(plain, 0o755);
    for (const f of [file, plain]) {
      const off = await spawnAsync(f, ['one', 'two words', 'three'], { env: { PATH: OURS_PATH } });
      const on = await spawnAsync(f, ['one', 'two words', 'three'], { env: { PATH: OURS_PATH, EXECLINE_TRACE: '1' } });
      expect(on.status).toBe(off.status);
      expect(notTrace(on.stdout)).toBe(off.stdout);
      expect(notTrace(on.stderr)).toBe(off.stderr);
    }
    const on = await spawnAsync(file, ['one', 'two words', 'three'], { env: { PATH: OURS_PATH, EXECLINE_TRACE: '1' } });
    expect(on.stderr).toBe(
      [
        `+ ${EXECLINEB} -S2 ${file} one "two words" three`,
        '+ foreground { s6-echo one } fdmove -c 2 1 s6-echo "two words" one "two words" three',
        '  + s6-echo one',
        '+ fdmove -c 2 1 s6-echo "two words" one "two words" three',
        '',
      ].join('\n'),
    );
    expect(on.stdout).toBe(['one', '+ s6-echo "two words" one "two words" three', 'two words one two words three', ''].join('\n'));
  });
});

describe('EXECLINE_TRACE: what is printed', () => {
  it('each step before it runs, blocks as braces, values substituted, the final program included', async () => {
    const script = 'importas -u X X foreground { s6-echo $X } if -t { true } sh -c "echo done"';
    const r = await run(script, '1', { env: { X: 'a b' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('a b\ndone\n');
    expect(r.stderr).toBe(
      [
        head(script),
        '+ importas -u X X foreground { s6-echo $X } if -t { true } sh -c "echo done"',
        '+ foreground { s6-echo "a b" } if -t { true } sh -c "echo done"',
        '  + s6-echo "a b"',
        '+ if -t { true } sh -c "echo done"',
        '  + true',
        '+ sh -c "echo done"',
        '',
      ].join('\n'),
    );
  });

  it('indents by nesting level, in loops too', async () => {
    const script = 'if { if { foreground { forx -E i { 1 2 } s6-echo $i } } } s6-echo top';
    const r = await run(script, '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('1\n2\ntop\n');
    expect(r.stderr).toBe(
      [
        head(script),
        '+ if { if { foreground { forx -E i { 1 2 } s6-echo $i } } } s6-echo top',
        '  + if { foreground { forx -E i { 1 2 } s6-echo $i } }',
        '    + foreground { forx -E i { 1 2 } s6-echo $i }',
        '      + forx -E i { 1 2 } s6-echo $i',
        // (forx -E runs each iteration through importas, as the reference does)
        '        + importas -ui -- i i s6-echo $i',
        '        + s6-echo 1',
        '        + importas -ui -- i i s6-echo $i',
        '        + s6-echo 2',
        '+ s6-echo top',
        '',
      ].join('\n'),
    );
  });

  it('writes control bytes as escapes: one line per step', async () => {
    const script = 'foreground { s6-echo "a\\nb" } s6-echo "\\t"';
    const r = await run(script, '1');
    expect(r.stdout).toBe('a\nb\n\t\n');
    expect(traceLines(r.stderr)).toEqual([head(script), '+ foreground { s6-echo "a\\nb" } s6-echo "\\t"', '  + s6-echo "a\\nb"', '+ s6-echo "\\t"']);
  });

  it('only "1" turns it on', async () => {
    for (const v of ['0', '', 'yes', ' 1', '1 ', 'true', '2']) {
      const r = await run('foreground { s6-echo a } s6-echo b', v);
      expect(r.stderr, JSON.stringify(v)).toBe('');
      expect(r.stdout).toBe('a\nb\n');
    }
  });

  it('is read at each step: export turns it on from the next step, unexport off', async () => {
    const script = 'foreground { s6-echo a } export EXECLINE_TRACE 1 foreground { s6-echo b } unexport EXECLINE_TRACE foreground { s6-echo c } s6-echo d';
    const r = await run(script, undefined);
    expect(r.stdout).toBe('a\nb\nc\nd\n');
    expect(r.stderr).toBe(
      [
        '+ foreground { s6-echo b } unexport EXECLINE_TRACE foreground { s6-echo c } s6-echo d',
        '  + s6-echo b',
        '+ unexport EXECLINE_TRACE foreground { s6-echo c } s6-echo d',
        '',
      ].join('\n'),
    );
    // Inside a block only: the block's own environment.
    const r2 = await run('foreground { export EXECLINE_TRACE 1 s6-echo in } s6-echo out', undefined);
    expect(r2.stdout).toBe('in\nout\n');
    expect(r2.stderr).toBe('  + s6-echo in\n');
  });

  it("goes to the step's fd 2: nowhere when it is closed, into a file when redirected", async () => {
    const file = join(dir, 'err');
    const script = `foreground { s6-echo a } redirfd -w 2 ${file} foreground { s6-echo b } fdclose 2 s6-echo c`;
    const r = await run(script, '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('a\nb\nc\n');
    expect(traceLines(r.stderr)).toEqual([head(script), `+ ${script}`, '  + s6-echo a', `+ redirfd -w 2 ${file} foreground { s6-echo b } fdclose 2 s6-echo c`]);
    expect(readFileSync(file, 'latin1')).toBe(['+ foreground { s6-echo b } fdclose 2 s6-echo c', '  + s6-echo b', '+ fdclose 2 s6-echo c', ''].join('\n'));
  });

  it('runs with fd 2 closed from the start, and with a broken pipe for stderr', async () => {
    const script = 'foreground { s6-echo a } if { true } sh -c "echo b"';
    const closed = await spawnAsync('sh', ['-c', `${EXECLINEB} -Pc '${script}' 2>&-; echo rc=$?`], { env: { PATH: OURS_PATH, EXECLINE_TRACE: '1' } });
    expect(closed.stdout).toBe('a\nb\nrc=0\n');
    // stderr is a pipe whose reader is gone: a C program would die of SIGPIPE writing to it.
    const out = join(dir, 'out');
    const broken = await spawnAsync(
      'sh',
      [
        '-c',
        `( sleep 0.3; ${EXECLINEB} -Pc '${script}' >${out} 2>&4; echo rc=$? >${out}.rc ) 4>&1 | true; sleep 0.1; while [ ! -s ${out}.rc ]; do sleep 0.1; done`,
      ],
      { env: { PATH: OURS_PATH, EXECLINE_TRACE: '1' }, timeout: 20000 },
    );
    expect(broken.status).toBe(0);
    expect(readFileSync(out, 'latin1')).toBe('a\nb\n');
    expect(readFileSync(`${out}.rc`, 'latin1')).toBe('rc=0\n');
  });

  it('through Node children: getpid in a block (printed once), background, pipeline', async () => {
    const script = 'foreground { getpid P importas P P s6-echo $P } background { getpid Q s6-echo bg } wait { } s6-echo end';
    const r = await run(script, '1');
    expect(r.status).toBe(0);
    const lines = traceLines(r.stderr).map((l) => l.replace(/\b\d{2,}\b/g, 'PID'));
    expect(lines).toEqual([
      head(script),
      // (an empty block is the empty word: written "")
      `+ ${script.replace('wait { }', 'wait ""')}`,
      '  + getpid P importas P P s6-echo $P',
      '  + importas P P s6-echo $P',
      '  + s6-echo PID',
      '+ background { getpid Q s6-echo bg } wait "" s6-echo end',
      '+ wait "" s6-echo end',
      '  + getpid Q s6-echo bg',
      '  + s6-echo bg',
      '+ s6-echo end',
    ]);
    const p = await run('pipeline { if { true } s6-echo x } cat', '1');
    expect(p.stdout).toBe('x\n');
    expect(traceLines(p.stderr).slice(1).sort()).toEqual(
      ['  + if { true } s6-echo x', '  + s6-echo x', '    + true', '+ cat', '+ pipeline { if { true } s6-echo x } cat'].sort(),
    );
  });

  it("credentials in a block: the rest runs in a Node child, at the block's level", async () => {
    const script = 'foreground { s6-envuidgid nobody s6-applyuidgid -U if { true } sh -c "id -u" } s6-echo out';
    const r = await run(script, '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${(await spawnAsync('id', ['-u', 'nobody'])).stdout}out\n`);
    expect(traceLines(r.stderr)).toEqual([
      head(script),
      `+ ${script}`,
      '  + s6-envuidgid nobody s6-applyuidgid -U if { true } sh -c "id -u"',
      '  + s6-applyuidgid -U if { true } sh -c "id -u"',
      '  + if { true } sh -c "id -u"',
      '    + true',
      '  + sh -c "id -u"',
      '+ s6-echo out',
    ]);
  });

  it('chain-loaders run directly trace too', async () => {
    const exe = join(BIN, 's6-setsid');
    const r = await spawnAsync(exe, ['-q', 'fdmove', '-c', '3', '1', 's6-echo', 'a b'], { env: { PATH: OURS_PATH, EXECLINE_TRACE: '1' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('a b\n');
    expect(r.stderr).toBe([`+ ${exe} -q fdmove -c 3 1 s6-echo "a b"`, '+ fdmove -c 3 1 s6-echo "a b"', '+ s6-echo "a b"', ''].join('\n'));
    const t = await spawnAsync(join(BIN, 'export'), ['A', 'x', '/bin/true'], { env: { PATH: OURS_PATH, EXECLINE_TRACE: '1' } });
    expect(t.status).toBe(0);
    expect(t.stderr).toBe(`+ ${join(BIN, 'export')} A x /bin/true\n+ /bin/true\n`);
  });
});
