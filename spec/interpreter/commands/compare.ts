// Differential checks for the command specs: one execlineb script under ours and under the
// reference; stdout and exit status must be identical, stderr must have the same shape (the
// `prog: kind` of each diagnostic line) and ours must never show a JavaScript stack trace.
import { expect } from 'vitest';
import { both, bothAsync, hasStackTrace, type Run } from '../../helpers.js';

export interface CompareOpts {
  input?: string;
  flags?: string[];
  env?: Record<string, string>;
  cwd?: string;
}

/** The (program, kind) pairs of a stderr, as conformance/README.md defines its shape. */
export function stderrShape(s: string): string[] {
  const out: string[] = [];
  for (const line of s.split('\n')) {
    const m = /^([^:\s]+): (fatal|warning|usage|info):/.exec(line);
    if (m) out.push(`${m[1]}: ${m[2]}`);
  }
  return out;
}

function summary(r: Run) {
  return { stdout: r.stdout, status: r.status, signal: r.signal, stderr: stderrShape(r.stderr) };
}

/** Runs the script under both and expects the same outcome; returns both runs. */
export function same(script: string, o: CompareOpts = {}): [Run, Run] {
  const [ours, ref] = both(script, { input: o.input ?? '', flags: o.flags, env: o.env, cwd: o.cwd ?? '/tmp', maxBuffer: 256 * 1024 * 1024 });
  expect(hasStackTrace(ours.stderr), ours.stderr).toBe(false);
  expect(summary(ours), `script: ${script}\nours stderr: ${ours.stderr}\nref stderr: ${ref.stderr}`).toEqual(summary(ref));
  return [ours, ref];
}

/**
 * same, without blocking the test worker (see spawnAsync in spec/helpers.ts): for scripts that
 * run for a second or more (sleeps, tens of MiB through pipes).
 */
export async function sameAsync(script: string, o: CompareOpts = {}): Promise<[Run, Run]> {
  const [ours, ref] = await bothAsync(script, { input: o.input ?? '', flags: o.flags, env: o.env, cwd: o.cwd ?? '/tmp', maxBuffer: 256 * 1024 * 1024 });
  expect(hasStackTrace(ours.stderr), ours.stderr).toBe(false);
  expect(summary(ours), `script: ${script}\nours stderr: ${ours.stderr}\nref stderr: ${ref.stderr}`).toEqual(summary(ref));
  return [ours, ref];
}

/** `sh -c` body that prints the variable in brackets, or UNSET. */
export const SHOW = (v = 'x') => `sh -c "printf \\"[%s]\\\\\\\\n\\" \\"\${${v}-UNSET}\\""`;
