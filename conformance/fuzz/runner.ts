// The differential fuzz runner: each generated script runs under the reference execlineb (as a
// file, so any byte can be in it) and under our interpreter in-process (the chain runs up to the
// final program, whose argv is compared directly: no Node start-up per script). The final
// program is `printargs`, which prints its argv NUL-separated. Compared: the argv and the exit code.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, openSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chain } from '../../interpreter/runtime/trampoline.js';
import { Die, Exit, setStderrFd } from '../../interpreter/command/errors.js';
import { findExecutable } from '../../interpreter/runtime/exec.js';
import { makeState } from '../../interpreter/runtime/state.js';
import { setCommandTable } from '../../interpreter/command/registry.js';
import { commandTable } from '../../interpreter/command/commands.generated.js';

// As the entry point does: the runtime is handed the command table.
setCommandTable(commandTable);

export const REF_EXECLINEB = '/usr/lib/execline/bin/execlineb';

export interface FuzzCase {
  script: string; // byte string
  args: string[];
  env: Record<string, string>;
}

export interface Outcome {
  code: number;
  argv: string[] | null; // the final program's argv (without argv[0]) when it ran
}

export interface Workspace {
  dir: string;
  binDir: string;
  path: string;
}

export function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'execline-fuzz-'));
  const binDir = join(dir, 'bin');
  mkdirSync(binDir);
  const p = join(binDir, 'printargs');
  writeFileSync(p, '#!/bin/sh\nfor a; do printf \'%s\\0\' "$a"; done\n');
  chmodSync(p, 0o755);
  return { dir, binDir, path: `${binDir}:/usr/lib/execline/bin:/usr/bin:/bin` };
}

let counter = 0;
function scriptFile(ws: Workspace, script: string): string {
  const f = join(ws.dir, `s${counter++ % 64}.el`);
  writeFileSync(f, Buffer.from(script, 'latin1'));
  return f;
}

function parseArgv(out: Buffer): string[] {
  const s = out.toString('latin1');
  const parts = s.split('\0');
  parts.pop();
  return parts;
}

/** Runs a case under the reference. */
export function runReference(ws: Workspace, c: FuzzCase, file: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const cp = spawn(REF_EXECLINEB, [file, ...c.args], { env: { PATH: ws.path, ...c.env }, cwd: ws.dir, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    cp.stdout.on('data', (d: Buffer) => chunks.push(d));
    cp.on('close', (code, _signal) => {
      const out = Buffer.concat(chunks);
      // A reference killed by a signal crashed (it has a few out-of-bounds bugs): not comparable.
      resolve({ code: code ?? -1000, argv: code === 0 ? parseArgv(out) : null });
    });
  });
}

let devnull = -1;

/** Runs a case under ours, in-process, up to the final program. */
export async function runOurs(ws: Workspace, c: FuzzCase, file: string): Promise<Outcome> {
  if (devnull < 0) devnull = openSync('/dev/null', 'w');
  const env = new Map<string, string>([['PATH', ws.path], ...Object.entries(c.env)]);
  const st = makeState('execlineb', env);
  const old = setStderrFd(devnull);
  try {
    const ext = await chain(st, ['execlineb', file, ...c.args]);
    findExecutable(st.prog, ext[0], st.env);
    if (ext[0] !== 'printargs') return { code: -1, argv: ext };
    return { code: 0, argv: ext.slice(1) };
  } catch (e) {
    // exiting 0 before the final program looks, from outside, like printargs with no argument
    if (e instanceof Exit) return { code: e.code, argv: e.code === 0 ? [] : null };
    if (e instanceof Die) return { code: e.code, argv: null };
    return { code: -2, argv: [String(e)] };
  } finally {
    setStderrFd(old);
  }
}

export interface Divergence {
  case: FuzzCase;
  ours: Outcome;
  ref: Outcome;
}

function same(a: Outcome, b: Outcome): boolean {
  if (a.code !== b.code) return false;
  if (a.code !== 0) return true;
  return JSON.stringify(a.argv) === JSON.stringify(b.argv);
}

/** Runs cases with `parallel` reference processes at a time; returns the divergences. */
export async function fuzz(cases: Iterable<FuzzCase>, parallel = 8): Promise<{ tried: number; crashed: number; divergences: Divergence[] }> {
  const ws = workspace();
  const divergences: Divergence[] = [];
  let tried = 0;
  let crashed = 0;
  const running = new Set<Promise<void>>();
  for (const c of cases) {
    tried++;
    const file = join(ws.dir, `c${tried % 256}.el`);
    writeFileSync(file, Buffer.from(c.script, 'latin1'));
    const ours = await runOurs(ws, c, file);
    const p = runReference(ws, c, file).then((ref) => {
      if (ref.code === -1000) crashed++;
      else if (!same(ours, ref)) divergences.push({ case: c, ours, ref });
    });
    const tracked = p.finally(() => running.delete(tracked));
    running.add(tracked);
    if (running.size >= parallel) await Promise.race(running);
  }
  await Promise.all(running);
  return { tried, crashed, divergences };
}

export { scriptFile };
