// A supervisor's signals must reach the final program: a run script chain-loads through each of
// our commands into a sh that traps TERM/HUP/INT; the test sends the signal to the PID it started
// and checks that the program, with that very PID, caught it. Same run under the reference.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasStackTrace, supervise, type Supervised } from './common.js';
import { PrivateRun } from '../helpers.js';

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];

let dir = '';
let prog = '';
/** with-contenv's container environment: a private /run, not the host's. */
let box: PrivateRun;

beforeAll(() => {
  dir = mkdtempSync('/tmp/elts-signals-');
  chmodSync(dir, 0o755);
  prog = join(dir, 'prog.sh');
  writeFileSync(
    prog,
    [
      "trap 'echo got TERM; exit 0' TERM",
      "trap 'echo got HUP; exit 0' HUP",
      "trap 'echo got INT; exit 0' INT",
      'echo ready $$',
      'while :; do sleep 0.05; done',
      '',
    ].join('\n'),
  );
  mkdirSync(join(dir, 'envdir'));
  writeFileSync(join(dir, 'envdir', 'ELTS_SIG'), 'x\n');
  writeFileSync(join(dir, 'envfile'), 'ELTS_SIG=y\n');
  chmodSync(prog, 0o644);
  box = new PrivateRun();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  box.cleanup();
});

/** Every chain-loader, and the execline commands that come before them in run scripts. */
const CHAINS: { name: string; chain: (d: string) => string; refToo?: boolean }[] = [
  { name: 'nothing', chain: () => '' },
  { name: 's6-setuidgid nobody', chain: () => 's6-setuidgid nobody' },
  { name: 's6-envuidgid + s6-applyuidgid -U', chain: () => 's6-envuidgid nobody s6-applyuidgid -U' },
  { name: 's6-applyuidgid -u -g', chain: () => 's6-applyuidgid -u 65534 -g 65534' },
  { name: 'redirfd -w 3', chain: () => 'redirfd -w 3 /dev/null' },
  { name: 'redirfd -r 0', chain: () => 'redirfd -r 0 /dev/null' },
  { name: 'fdmove -c', chain: () => 'fdmove -c 3 1' },
  { name: 'fdmove', chain: () => 'fdmove -c 4 2 fdmove 5 4' },
  { name: 'fdclose', chain: () => 'fdclose 0' },
  { name: 'fdswap', chain: () => 'fdmove -c 4 1 fdswap 1 4' },
  { name: 'fdblock', chain: () => 'fdblock 1 fdblock -n 0' },
  { name: 'fdreserve', chain: () => 'fdreserve 2' },
  { name: 's6-envdir', chain: (d) => `s6-envdir ${d}/envdir` },
  { name: 'envfile', chain: (d) => `envfile ${d}/envfile` },
  { name: 's6-softlimit', chain: () => 's6-softlimit -o 200 -d 2000000000' },
  { name: 's6-setsid', chain: () => 's6-setsid' },
  { name: 'with-contenv', chain: () => 'with-contenv', refToo: false },
  { name: 'define', chain: () => 'define SH sh' },
  { name: 'importas', chain: () => 'importas -D /tmp HOME HOME' },
  { name: 'export', chain: () => 'export ELTS_SIG 1' },
  { name: 'unexport', chain: () => 'export ELTS_SIG 1 unexport ELTS_SIG' },
  { name: 'emptyenv -p', chain: () => 'emptyenv -p' },
  { name: 'cd', chain: () => 'cd /' },
  { name: 'umask', chain: () => 'umask 027' },
  { name: 'if', chain: () => 'if { true }' },
  { name: 'foreground', chain: () => 'foreground { true }' },
  {
    name: 'everything at once',
    chain: (d) =>
      'define X 1 importas -D /tmp HOME HOME export ELTS_SIG 1 unexport ELTS_SIG cd / umask 022 ' +
      'if { true } foreground { true } ' +
      `s6-envdir ${d}/envdir envfile ${d}/envfile s6-softlimit -o 200 redirfd -w 3 /dev/null ` +
      'fdmove -c 4 1 fdswap 1 4 fdclose 4 fdblock 1 fdreserve 1 s6-setsid ' +
      's6-envuidgid nobody s6-applyuidgid -U',
  },
];

function script(chain: string): string {
  return `${chain} sh ${prog}\n`;
}

function check(r: Supervised, sig: NodeJS.Signals): void {
  const name = sig.slice(3);
  expect(hasStackTrace(r.stderr), r.stderr).toBe(false);
  expect(r.stderr).toBe('');
  expect(r.readyPid, `the program runs as the PID the supervisor started; stdout=${r.stdout}`).toBe(r.pid);
  expect(r.stdout).toBe(`ready ${r.pid}\ngot ${name}\n`);
  expect(r.status).toBe(0);
  expect(r.signal).toBe(null);
}

describe('signals reach the final program, same PID', () => {
  for (const c of CHAINS) {
    // with-contenv needs a private /run (a mount namespace) for its container environment.
    it.skipIf(c.name === 'with-contenv' && !PrivateRun.supported())(`through ${c.name}`, async () => {
      const file = join(dir, `run-${c.name.replace(/[^a-z0-9]+/gi, '_')}`);
      writeFileSync(file, script(c.chain(dir)));
      const inBox = c.name === 'with-contenv' ? box : undefined;
      const sides = c.refToo === false ? [false] : [false, true];
      const runs = await Promise.all(sides.flatMap((ref) => SIGNALS.map(async (sig) => ({ ref, sig, r: await supervise(file, ref, sig, {}, inBox) }))));
      for (const { ref, sig, r } of runs) {
        try {
          check(r, sig);
        } catch (e) {
          (e as Error).message = `[${ref ? 'reference' : 'ours'} ${sig}] execlineb -P ${file}: ${(e as Error).message}`;
          throw e;
        }
      }
    });
  }
});
