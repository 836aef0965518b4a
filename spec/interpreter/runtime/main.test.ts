// The entry point refuses to run on a Node older than 22.15, with a clear message and 111.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nodeTooOld } from '../../../interpreter/runtime/main.js';
import { ROOT } from '../../helpers.js';

describe('Node version check', () => {
  it('accepts 22.15 and later, refuses earlier versions', () => {
    expect(nodeTooOld('x', '22.15.0', true)).toBeNull();
    expect(nodeTooOld('x', '24.1.0', true)).toBeNull();
    expect(nodeTooOld('execlineb', '22.14.0', true)).toMatch(/^execlineb: fatal: Node\.js >= 22\.15 is required/);
    expect(nodeTooOld('execlineb', '20.20.2', false)).toMatch(/this is Node\.js 20\.20\.2/);
    expect(nodeTooOld('x', '23.0.0', false)).not.toBeNull();
  });

  // The machine's own Node is older than 22.15 here and in CI (it is 20): run the bundle with it.
  const old = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
    if (!existsSync(p)) return false;
    const v = spawnSync(p, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    const [a, b] = v.split('.').map(Number);
    return a < 22 || (a === 22 && b < 15);
  });
  it.runIf(old)('exits 111 with the message under an old Node', () => {
    const r = spawnSync(old!, [join(ROOT, 'dist/execline.cjs'), 'execlineb', '-c', 'true'], { encoding: 'utf8' });
    expect(r.status).toBe(111);
    expect(r.stderr).toMatch(/^execlineb: fatal: Node\.js >= 22\.15 is required/);
    expect(r.stdout).toBe('');
  });
});
