// elgetopt against the reference: options with and without arguments, -D, clustering, "--",
// errors from getopt (printed under $0), the ELGETOPT_ push, and the shifted positionals.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, OURS_PATH, REF_BIN, REF_PATH, hasStackTrace } from '../../helpers.js';
import { stderrShape } from './compare.js';

/** The environment the program gets, in order, minus PATH. */
const ENV = `sh -c "tr '\\\\0' '\\\\n' < /proc/$$/environ | sed -e /^PATH=/d"`;

/** Runs `execlineb script.el args...` (a file, so that args starting with - reach the script). */
function run(script: string, args: string[], ref: boolean, flags: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'elgetopt-spec-'));
  writeFileSync(join(dir, 'script.el'), script + '\n');
  const r = spawnSync(join(ref ? REF_BIN : BIN, 'execlineb'), [...flags, 'script.el', ...args], {
    cwd: dir,
    env: { PATH: ref ? REF_PATH : OURS_PATH },
    encoding: 'latin1',
    timeout: 20000,
  });
  return { stdout: r.stdout, status: r.status, stderr: r.stderr };
}

function same(script: string, args: string[], flags: string[] = []) {
  const ours = run(script, args, false, flags);
  const ref = run(script, args, true, flags);
  expect(hasStackTrace(ours.stderr)).toBe(false);
  expect({ ...ours, stderr: stderrShape(ours.stderr), raw: ours.stderr }).toEqual({ ...ref, stderr: stderrShape(ref.stderr), raw: ref.stderr });
}

describe('elgetopt', () => {
  it.each([
    [`elgetopt ab:c ${ENV}`, ['-a', '-b', 'x', '-c', 'd', 'e']],
    [`elgetopt -D yes ab:c ${ENV}`, ['-ac', '-bx', '--', 'd', 'e']],
    [`elgetopt ab: ${ENV}`, ['-z', 'd']],
    [`elgetopt ab: ${ENV}`, ['-b']],
    [`elgetopt a elgetopt a ${ENV}`, ['-a', '-a', 'b']],
    [`elgetopt -Dz a ${ENV}`, ['-a', '-', 'b']],
    [`export ELGETOPT_a old elgetopt a ${ENV}`, ['-a', 'x']],
    [`elgetopt a ${ENV}`, ['x', '-a']],
    [`elgetopt :a: ${ENV}`, ['-a']],
    [`elgetopt :a: ${ENV}`, ['-z']],
    [`elgetopt a: ${ENV}`, ['-a', '']],
    [`elgetopt a: ${ENV}`, ['-a', '--', 'x']],
    [`elgetopt a: ${ENV}`, ['-ax', 'y']],
    [`elgetopt a ${ENV}`, ['--', '-a']],
    [`elgetopt a ${ENV}`, ['-aa']],
    [`elgetopt a ${ENV}`, []],
    [`elgetopt -D "" a ${ENV}`, ['-a']],
    [`elgetopt -x a ${ENV}`, ['-a']],
    ['elgetopt a', []],
    ['elgetopt', []],
    ['elgetopt -D', []],
    [`unexport # elgetopt a ${ENV}`, []],
    [`export # x elgetopt a ${ENV}`, []],
    [`unexport 1 elgetopt a ${ENV}`, ['a']],
    [`elgetopt :: ${ENV}`, ['-:']],
    [`elgetopt a:: ${ENV}`, ['-a', '-:']],
    [`emptyenv -p elgetopt a ${ENV}`, ['-a']],
    ['elgetopt n: elgetpositionals printf "[%s]\\n" $@ $#', ['-n', '3', 'x', 'y']],
  ])('%s %j', (script, args) => {
    same(script as string, args as string[]);
  });

  it('dies when # is not set (-P)', () => {
    same(`elgetopt a ${ENV}`, [], ['-P']);
  });
});
