// heredoc against the reference: any fd, -d, empty strings, bytes, errors; and payloads larger
// than a pipe holds (the reference caps an argument at 128 KiB; ours also takes 16 MiB).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, OURS_PATH, REF_BIN, REF_PATH, spawnAsync } from '../../helpers.js';
import { same } from './compare.js';

/** Runs a script file (for strings too long for -c) under ours or the reference, without blocking. */
async function runFile(text: string, ref: boolean): Promise<{ stdout: string; status: number | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'heredoc-spec-'));
  const file = join(dir, 'script.el');
  writeFileSync(file, text, 'latin1');
  const exe = join(ref ? REF_BIN : BIN, 'execlineb');
  const r = await spawnAsync(exe, ['-P', file], { env: { PATH: ref ? REF_PATH : OURS_PATH }, timeout: 60000, maxBuffer: 64 << 20 });
  return { stdout: r.stdout, status: r.status };
}

function payload(n: number): string {
  let s = '';
  const line = 'the quick brown fox jumps over the lazy dog 0123456789\n';
  while (s.length < n) s += line;
  return s.slice(0, n);
}

describe('heredoc', () => {
  it.each([
    'heredoc 0 hello cat',
    'heredoc 3 hello sh -c "cat <&3"',
    'heredoc -d 0 hello cat',
    'heredoc -d 4 "a\nb\n" sh -c "cat <&4"',
    'heredoc 0 "" sh -c "cat; echo end"',
    'heredoc 007 hello sh -c "cat <&7"',
    'heredoc -- 0 hello cat',
    'heredoc 0 a heredoc 3 b sh -c "cat; cat <&3"',
    'heredoc 0 inner cat',
    'heredoc 0 "\\0x01\\0xff\\0x7f end" od -An -c',
    'heredoc 1 hello sh -c "cat <&1 2>/dev/null; echo rc=$? >&2"',
  ])('%s', (script) => {
    same(script, { input: 'outer\n' });
  });

  it.each(['heredoc 0 hello', 'heredoc 0', 'heredoc x hello cat', 'heredoc -x 0 hello cat', 'heredoc 0 hello nonexistent-prog'])('error: %s', (script) => {
    same(script);
  });

  it.each([
    ['over a pipe buffer', 'heredoc 0 "DATA" wc -c'],
    ['over a pipe buffer, -d', 'heredoc -d 0 "DATA" wc -c'],
    ['to a late reader', 'heredoc 0 "DATA" sh -c "sleep 0.3; cksum"'],
    ['on fd 5', 'heredoc 5 "DATA" sh -c "cksum <&5"'],
  ])('100 KB %s, as the reference', async (_what, script) => {
    const text = script.replace('DATA', payload(100_000)) + '\n';
    const ours = await runFile(text, false);
    const ref = await runFile(text, true);
    expect(ours).toEqual(ref);
  });

  it.each([[''], ['-d ']])(
    "a 16 MiB string is E2BIG at execlineb's exec of heredoc, as the reference (%s)",
    async (opt) => {
      const text = `heredoc ${opt}0 "${payload(16 * 1024 * 1024)}" sha256sum\n`;
      const ours = await runFile(text, false);
      const ref = await runFile(text, true);
      expect(ref.status).toBe(126);
      expect(ours).toEqual(ref);
    },
    120_000,
  );
});
