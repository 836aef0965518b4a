// The process model: the chain keeps the PID that started it, leaves no interpreter behind,
// gives the program default SIGPIPE/SIGXFSZ and every fd it should have.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, OURS_PATH, runScript, hasStackTrace } from '../../helpers.js';

const execlineb = join(BIN, 'execlineb');

describe('process model', () => {
  it('execs the final program in place: same PID, and no Node process left', () => {
    const r = runScript(
      // (background runs a Node child for its block of our own commands: it must be gone once waited for)
      'define X y export A b foreground { true } if { true } background { if { true } true } wait { } sh -c "echo $$; readlink /proc/$$/exe; for d in /proc/[0-9]*; do grep -qs "^PPid:[[:space:]]*$$\\$" $d/status && readlink $d/exe; done | grep -c node || true"',
    );
    expect(r.status).toBe(0);
    const [pid, exe, nodeChildren] = r.stdout.trim().split('\n');
    expect(Number(pid)).toBe(r.pid);
    expect(exe).not.toMatch(/node/);
    expect(nodeChildren.trim()).toBe('0');
  });

  it('gives the program the default SIGPIPE and SIGXFSZ dispositions', () => {
    const r = runScript('sh -c "grep ^SigIgn: /proc/$$/status"');
    const mask = BigInt('0x' + r.stdout.trim().split(/\s+/)[1]);
    expect(mask & (1n << 12n)).toBe(0n); // SIGPIPE is 13
    expect(mask & (1n << 24n)).toBe(0n); // SIGXFSZ is 25
  });

  it('lets a program die of SIGPIPE quietly (yes | head -1)', () => {
    const r = spawnSync('sh', ['-c', `${execlineb} -Pc yes | head -1`], { encoding: 'utf8', env: { PATH: OURS_PATH } });
    expect(r.stdout).toBe('y\n');
    expect(r.stderr).toBe('');
  });

  it('reports death by SIGPIPE to the parent as the reference does', () => {
    const status = (exe: string, path: string) =>
      spawnSync('bash', ['-c', `${exe} -Pc yes | head -1 >/dev/null; echo \${PIPESTATUS[0]}`], { encoding: 'utf8', env: { PATH: path } }).stdout;
    expect(status(execlineb, OURS_PATH)).toBe('141\n');
    expect(status(execlineb, OURS_PATH)).toBe(status('/usr/lib/execline/bin/execlineb', '/usr/lib/execline/bin:/usr/bin:/bin'));
  });

  it('passes stdin, and an inherited fd 3, to blocks and to the final program', () => {
    const r = spawnSync('sh', ['-c', `${execlineb} -Pc 'foreground { sh -c "echo block >&3" } sh -c "cat; echo final >&3"' 3>&1`], {
      encoding: 'utf8',
      env: { PATH: OURS_PATH },
      input: 'from stdin\n',
    });
    expect(r.stdout).toBe('block\nfrom stdin\nfinal\n');
  });

  it('passes an inherited fd above 15 too', () => {
    const r = spawnSync('bash', ['-c', `${execlineb} -Pc 'bash -c "echo hi >&20"' 20>&1`], { encoding: 'utf8', env: { PATH: OURS_PATH } });
    expect(r.stdout).toBe('hi\n');
  });

  it('keeps the environment order, positional parameters included', () => {
    const r = spawnSync(execlineb, ['-c', 'sh -c "tr \\"\\\\0\\" \\"\\\\n\\" < /proc/$$/environ"', 'a', 'b'], {
      encoding: 'utf8',
      env: { Z: '1', PATH: OURS_PATH, A: '2' },
    });
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('=')[0]),
    ).toEqual(['Z', 'PATH', 'A', '#', '0', '1', '2']);
  });

  it('never prints a JavaScript stack trace on bad input', () => {
    for (const script of ['foreground', 'if {', 'define', 'importas -i A NOPE true', '{ }', 'nonexistent-program', '"\\0"']) {
      const r = runScript(script);
      expect(hasStackTrace(r.stderr)).toBe(false);
      expect(r.status).toBeGreaterThan(0);
    }
  });
});
