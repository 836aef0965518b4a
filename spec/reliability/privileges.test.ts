// Dropping privileges must be complete and in order: after s6-setuidgid / s6-applyuidgid the
// program has the four uids and gids asked for, exactly the groups asked for, no capabilities,
// and cannot get root back; everything the script does after the drop (opening files, chdir,
// reading envdirs, blocks, background programs) is done with the dropped credentials, and
// everything before it with the old ones. with-contenv never lets the caller's environment
// through unless S6_KEEP_ENV asks for it. Runs as root; compared with the reference where it exists.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, OURS_PATH, PrivateRun, runScript, spawnAsync, type Run } from '../helpers.js';
import { hasStackTrace } from './common.js';

const isRoot = process.getuid?.() === 0;
const STATUS = 'grep -E ^(Uid|Gid|Groups|Cap(Inh|Prm|Eff|Amb)): /proc/self/status';

let pub = ''; // world-readable temp dir
let priv = ''; // root-only temp dir (0700)

beforeAll(() => {
  pub = mkdtempSync('/tmp/elts-priv-');
  chmodSync(pub, 0o755);
  priv = mkdtempSync('/tmp/elts-priv-root-');
  chmodSync(priv, 0o700);
  writeFileSync(join(priv, 'secret'), 'secret\n');
  mkdirSync(join(priv, 'envdir'));
  writeFileSync(join(priv, 'envdir', 'ELTS_SECRET'), 'x\n');
  writeFileSync(join(pub, 'secret'), 'secret\n');
  chmodSync(join(pub, 'secret'), 0o600);
  writeFileSync(join(pub, 'secretenv'), 'ELTS_SECRET=x\n');
  chmodSync(join(pub, 'secretenv'), 0o600);
});

afterAll(() => {
  rmSync(pub, { recursive: true, force: true });
  rmSync(priv, { recursive: true, force: true });
});

interface Creds {
  uid: number[];
  gid: number[];
  groups: number[];
  caps: Record<string, string>;
}

/** Every credential block (Uid..CapAmb lines) in an output, in order. */
function credsOf(out: string): Creds[] {
  const res: Creds[] = [];
  let cur: Creds | null = null;
  for (const line of out.split('\n')) {
    const m = /^(Uid|Gid|Groups|Cap\w+):\s*(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'Uid') {
      cur = { uid: [], gid: [], groups: [], caps: {} };
      res.push(cur);
    }
    if (!cur) continue;
    const nums = m[2].trim() === '' ? [] : m[2].trim().split(/\s+/).map(Number);
    if (m[1] === 'Uid') cur.uid = nums;
    else if (m[1] === 'Gid') cur.gid = nums;
    else if (m[1] === 'Groups') cur.groups = nums;
    else cur.caps[m[1]] = m[2].trim();
  }
  return res;
}

const NOCAPS = { CapInh: '0000000000000000', CapPrm: '0000000000000000', CapEff: '0000000000000000', CapAmb: '0000000000000000' };

function dropped(uid: number, gid: number, groups: number[]): Creds {
  return { uid: [uid, uid, uid, uid], gid: [gid, gid, gid, gid], groups, caps: NOCAPS };
}

/** Runs under both; checks no stack trace, and the same status, stdout and stderr. */
function same(script: string, env: Record<string, string> = {}): [Run, Run] {
  const o = runScript(script, { env, cwd: '/' });
  const r = runScript(script, { env, cwd: '/', ref: true });
  const where = `execlineb -Pc '${script}'`;
  expect(hasStackTrace(o.stderr), `${where}: ${o.stderr}`).toBe(false);
  expect({ status: o.status, stdout: o.stdout, stderr: o.stderr }, where).toEqual({ status: r.status, stdout: r.stdout, stderr: r.stderr });
  return [o, r];
}

describe.runIf(isRoot)('after a drop the program has exactly the credentials asked for', () => {
  const NOBODY_GROUPS = [65534];
  const cases: { chain: string; want: Creds }[] = [
    { chain: 's6-setuidgid nobody', want: dropped(65534, 65534, NOBODY_GROUPS) },
    { chain: 's6-envuidgid nobody s6-applyuidgid -U', want: dropped(65534, 65534, NOBODY_GROUPS) },
    { chain: 's6-applyuidgid -u 65534 -g 65534 -G 100,65534,4', want: dropped(65534, 65534, [4, 100, 65534]) },
    { chain: 's6-applyuidgid -u 65534 -g 65534 -G ""', want: dropped(65534, 65534, [65534]) },
    { chain: 's6-applyuidgid -u 1 -g 2 -G 3', want: dropped(1, 2, [2, 3]) },
    { chain: 'export UID 65534 export GID 65534 export GIDLIST 5,6 s6-applyuidgid -U', want: dropped(65534, 65534, [5, 6, 65534]) },
    { chain: 'emptyenv s6-setuidgid nobody', want: dropped(65534, 65534, NOBODY_GROUPS) },
  ];
  for (const c of cases) {
    it(c.chain, () => {
      const [o] = same(`${c.chain} ${STATUS}`);
      expect(o.status).toBe(0);
      expect(credsOf(o.stdout)).toEqual([c.want]);
    });
    it(`${c.chain}: sh cannot get root back`, () => {
      // (s6-applyuidgid -u 0 -g 0 changes nothing: 0 there means "do not change".)
      const [o] = same(
        `${c.chain} sh -c "id -u; id -g; s6-setuidgid root id -u || echo refused; s6-applyuidgid -u 0 -g 0 id -u; s6-applyuidgid -g 0 -G 0 id -g || echo refused"`,
      );
      const [u, g] = [c.want.uid[0], c.want.gid[0]];
      expect(o.stdout).toBe(`${u}\n${g}\nrefused\n${u}\nrefused\n`);
    });
  }
  it('our own s6-applyuidgid after the drop cannot get root back either (in-process)', () => {
    const [o] = same(`s6-setuidgid nobody s6-applyuidgid -u 0 -g 0 -G 0 ${STATUS}`);
    expect(o.status).toBe(111);
    const [p] = same(`s6-setuidgid nobody s6-setuidgid root ${STATUS}`);
    expect(p.status).toBe(111);
    const [q] = same(`s6-applyuidgid -u 65534 -g 65534 -G "" s6-applyuidgid -u 0 ${STATUS}`);
    expect(credsOf(q.stdout)).toEqual([dropped(65534, 65534, [65534])]);
    const [r] = same(`s6-applyuidgid -u 65534 -g 65534 -G "" s6-applyuidgid -g 1 ${STATUS}`);
    expect(r.status).toBe(111);
  });
});

describe.runIf(isRoot)('nothing runs with mixed credentials', () => {
  const NOBODY = dropped(65534, 65534, [65534]);
  it('blocks after the drop see the dropped credentials; blocks before it see root', () => {
    const [o] = same(`foreground { ${STATUS} } s6-setuidgid nobody foreground { ${STATUS} } if { ${STATUS} } ${STATUS}`);
    const all = credsOf(o.stdout);
    expect(all.length).toBe(4);
    expect(all[0].uid).toEqual([0, 0, 0, 0]);
    expect(all.slice(1)).toEqual([NOBODY, NOBODY, NOBODY]);
  });
  it('background, pipeline and backtick programs after the drop are dropped', () => {
    const [o] = same(
      `s6-setuidgid nobody background { ${STATUS} } wait { } pipeline { ${STATUS} } ` +
        `backtick -n X { ${STATUS} } importas -u X X foreground { echo $X } cat`,
    );
    expect(credsOf(o.stdout)).toEqual([NOBODY, NOBODY, NOBODY]);
  });
  it('a drop inside a block stays in the block', () => {
    const [o] = same(`foreground { s6-setuidgid nobody ${STATUS} } ${STATUS}`);
    const all = credsOf(o.stdout);
    expect(all[0]).toEqual(NOBODY);
    expect(all[1].uid).toEqual([0, 0, 0, 0]);
  });
  it('a drop inside a block run by our own commands stays in the block', () => {
    const [o] = same(`foreground { s6-setuidgid nobody foreground { ${STATUS} } true } ${STATUS}`);
    const all = credsOf(o.stdout);
    expect(all[0]).toEqual(NOBODY);
    expect(all[1].uid).toEqual([0, 0, 0, 0]);
  });
  // [what, the step that needs root (p: root-only dir, q: dir with root-only files), the program]
  const steps: [string, (p: string, q: string) => string, string][] = [
    ['redirfd -w into a root-only directory', (p) => `redirfd -w 1 ${p}/new`, 'echo hi'],
    ['redirfd -r of a root-only file', (_p, q) => `redirfd -r 0 ${q}/secret`, 'cat'],
    ['redirfd -a of a root-only file', (_p, q) => `redirfd -a 1 ${q}/secret`, 'echo hi'],
    ['cd into a root-only directory', (p) => `cd ${p}`, 'pwd'],
    ['s6-envdir in a root-only directory', (p) => `s6-envdir ${p}/envdir`, 'printenv ELTS_SECRET'],
    ['envfile of a root-only file', (_p, q) => `envfile ${q}/secretenv`, 'printenv ELTS_SECRET'],
    ['heredoc then redirfd', (p) => `heredoc 0 x redirfd -w 1 ${p}/new`, 'cat'],
    ['backtick reading a root-only file', (_p, q) => `backtick -n X { cat ${q}/secret } importas -u X X`, 'echo got $X'],
  ];
  for (const [name, step, prog] of steps) {
    it(`after s6-setuidgid nobody: ${name} is refused, as the reference`, () => {
      rmSync(join(priv, 'new'), { force: true });
      const [o] = same(`s6-setuidgid nobody ${step(priv, pub)} ${prog}`);
      expect(o.stdout).not.toMatch(/secret|^x$/m);
      expect(o.status).not.toBe(0);
      expect(existsSync(join(priv, 'new'))).toBe(false);
    });
    it(`before s6-setuidgid nobody: ${name} is allowed, as the reference`, () => {
      rmSync(join(priv, 'new'), { force: true });
      const [o] = same(`${step(priv, pub)} s6-setuidgid nobody ${prog}`);
      expect(o.status).toBe(0);
      rmSync(join(priv, 'new'), { force: true });
    });
  }
});

// with-contenv reads the container environment from a private /run (a mount namespace of the
// test's own), never the host's.
describe.runIf(isRoot && PrivateRun.supported())('with-contenv does not let the caller environment through', () => {
  let box: PrivateRun;
  beforeAll(() => {
    box = new PrivateRun({ ELTS_REL_CONTENV: 'from-container\n' });
  });
  afterAll(() => box.cleanup());
  function envOf(stdout: string): Map<string, string> {
    const m = new Map<string, string>();
    for (const l of stdout.split('\0')) if (l.includes('=')) m.set(l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1));
    return m;
  }
  function direct(args: string[], env: Record<string, string>): Promise<Run> {
    const [cmd, argv] = box.wrap(join(BIN, 'with-contenv'), args);
    return spawnAsync(cmd, argv, { env, timeout: 20000, cwd: '/' });
  }
  function script(text: string, env: Record<string, string>): Promise<Run> {
    const [cmd, argv] = box.wrap(join(BIN, 'execlineb'), ['-P', '-c', text]);
    return spawnAsync(cmd, argv, { env: { PATH: OURS_PATH, ...env }, timeout: 20000 });
  }
  const base = { PATH: `${BIN}:/usr/bin:/bin`, ELTS_MARK: 'leaked' };
  for (const [label, extra] of [
    ['S6_KEEP_ENV unset', {}],
    ['S6_KEEP_ENV=0', { S6_KEEP_ENV: '0' }],
    ['S6_KEEP_ENV empty', { S6_KEEP_ENV: '' }],
  ] as [string, Record<string, string>][]) {
    it(`${label}: called directly (#!/usr/bin/with-contenv sh)`, async () => {
      const r = await direct(['env', '-0'], { ...base, ...extra });
      expect(hasStackTrace(r.stderr), r.stderr).toBe(false);
      expect(r.status).toBe(0);
      const env = envOf(r.stdout);
      expect(env.has('ELTS_MARK')).toBe(false);
      expect(env.get('ELTS_REL_CONTENV')).toBe('from-container');
      // The container environment holds no PATH: the caller's stays (emptyenv -p).
      expect(env.get('PATH')).toBe(base.PATH);
    });
    it(`${label}: in a script, after export and in a block`, async () => {
      const r = await script('export ELTS_MARK2 leaked2 foreground { with-contenv env -0 } with-contenv sh -c "env -0"', { ELTS_MARK: 'leaked', ...extra });
      expect(hasStackTrace(r.stderr), r.stderr).toBe(false);
      expect(r.status).toBe(0);
      const parts = r.stdout.split('\0\0');
      for (const env of [envOf(r.stdout)]) {
        expect(env.has('ELTS_MARK')).toBe(false);
        expect(env.has('ELTS_MARK2')).toBe(false);
        expect(env.get('ELTS_REL_CONTENV')).toBe('from-container');
        expect(env.has('PATH')).toBe(true);
      }
      expect(r.stdout.split('ELTS_REL_CONTENV=').length - 1, String(parts.length)).toBe(2);
    });
  }
  it('S6_KEEP_ENV=1 keeps it (the control)', async () => {
    const env = envOf((await direct(['env', '-0'], { ...base, S6_KEEP_ENV: '1' })).stdout);
    expect(env.get('ELTS_MARK')).toBe('leaked');
  });
});
