import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatArgv, quote, quoteArgv } from '../../../interpreter/language/quote.js';
import { scan } from '../../../interpreter/language/scanner.js';
import { REF_BIN, spawnAsync } from '../../helpers.js';

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces the lexer treats specially, mixed with random bytes.
const PIECES = ['{', '}', '#', '#x', '""', '"', '\\', ' ', '\n', '\t', '\\n', '\\0x41', 'a', '0', 'x', '{ ', ' }', '\r', '\x7f', '\xff', '\x01', '\\\n'];

function randomWord(r: () => number): string {
  const kind = r();
  if (kind < 0.05) return '';
  if (kind < 0.1) return PIECES[Math.floor(r() * PIECES.length)];
  const len = Math.floor(r() * 12);
  let w = '';
  for (let i = 0; i < len; i++) {
    if (r() < 0.4) w += PIECES[Math.floor(r() * PIECES.length)];
    else w += String.fromCharCode(1 + Math.floor(r() * 255));
  }
  return w;
}

function randomArgv(r: () => number, blocks: boolean): string[] {
  const n = Math.floor(r() * 6);
  const argv: string[] = [];
  for (let i = 0; i < n; i++) {
    if (blocks && r() < 0.2) {
      // a block, in execlineb's encoding
      for (const w of randomArgv(r, true)) argv.push(` ${w}`);
      argv.push('');
    } else argv.push(randomWord(r));
  }
  return argv;
}

describe('quote', () => {
  it('writes the shortest word for the lexer corners', () => {
    const cases: Array<[string, string]> = [
      ['', '""'],
      ['a', 'a'],
      ['echo', 'echo'],
      ['{', '\\{'],
      ['}', '\\}'],
      ['{x', '{x'],
      ['x}', 'x}'],
      ['}}', '}}'],
      ['{}', '{}'],
      ['#', '\\#'],
      ['#x', '\\#x'],
      ['a#b', 'a#b'],
      ['"', '\\"'],
      ['""', '\\"\\"'],
      ['\\', '\\\\'],
      ['a b', 'a\\ b'],
      ['a b c', '"a b c"'],
      ['a b cd', '"a b cd"'],
      [' ', '\\ '],
      ['  ', '"  "'],
      ['\n', '"\n"'],
      ['a\nb', 'a\\\nb'],
      ['{\n', '"{\n"'],
      ['{ ', '"{ "'],
      ['{ a', '"{ a"'],
      ['} ', '"} "'],
      ['\t', '\\\t'],
      ['$1', '$1'],
      ['\xe9t\xe9', '\xe9t\xe9'],
      ['\x7f', '\x7f'],
      ["it's", "it's"],
      ['a"b"c', 'a\\"b\\"c'],
    ];
    for (const [word, q] of cases) {
      expect(quote(word), JSON.stringify(word)).toBe(q);
      expect(scan(q), JSON.stringify(q)).toEqual([word]);
    }
  });

  it('is never longer than any script that reads as the same one word anywhere (exhaustive, short scripts)', () => {
    // Every script of up to 5 bytes over the lexer's special bytes: the shortest that reads as
    // one word w, at the top level and inside a block alike, is no shorter than quote(w).
    const alphabet = ['a', ' ', '\n', '"', '\\', '#', '{', '}', 'n', 'x', '\t'];
    const best = new Map<string, number>();
    const visit = (s: string) => {
      let words: string[];
      let inBlock: string[];
      try {
        words = scan(s);
        inBlock = scan(`x { ${s}\n}`);
      } catch {
        return;
      }
      if (words.length !== 1) return;
      const w = words[0];
      if (inBlock.length !== 3 || inBlock[1] !== ` ${w}`) return;
      const b = best.get(w);
      if (b === undefined || s.length < b) best.set(w, s.length);
    };
    let layer = [''];
    for (let len = 1; len <= 5; len++) {
      const next: string[] = [];
      for (const p of layer) for (const c of alphabet) next.push(p + c);
      for (const s of next) visit(s);
      layer = next;
    }
    expect(best.size).toBeGreaterThan(1000);
    for (const [w, len] of best) {
      expect(quote(w).length, JSON.stringify(w)).toBeLessThanOrEqual(len);
      expect(scan(`x { ${quote(w)} }`), JSON.stringify(w)).toEqual(['x', ` ${w}`, '']);
    }
  });

  it('reads back as the same word, for random byte strings', () => {
    const r = rng(13);
    for (let k = 0; k < 5000; k++) {
      const w = randomWord(r);
      const q = quote(w);
      expect(scan(q), JSON.stringify([w, q])).toEqual([w]);
      const v = quote(w, { visible: true });
      expect(scan(v), JSON.stringify([w, v])).toEqual([w]);
      expect(/[\x00-\x1f\x7f]/.test(v), JSON.stringify(v)).toBe(false);
      const b = quote(w, { visible: true, quoteBlanks: true });
      expect(scan(b), JSON.stringify([w, b])).toEqual([w]);
      expect(/[\x00-\x1f\x7f]|\\ /.test(b.replace(/\\\\/g, '')), JSON.stringify(b)).toBe(false);
      const nb = quote(w, { quoteBlanks: true });
      expect(scan(nb), JSON.stringify([w, nb])).toEqual([w]);
    }
  });

  it('covers every byte from 1 to 255, alone, first, last and inside', () => {
    for (let c = 1; c < 256; c++) {
      const b = String.fromCharCode(c);
      for (const w of [b, `${b}a`, `a${b}`, `a${b}b`, `{${b}`, `${b}${b}`, `}${b}`, `#${b}`]) {
        expect(scan(quote(w)), JSON.stringify(w)).toEqual([w]);
        expect(scan(quote(w, { visible: true })), JSON.stringify(w)).toEqual([w]);
        expect(scan(quote(w, { visible: true, quoteBlanks: true })), JSON.stringify(w)).toEqual([w]);
        expect(scan(quote(w, { quoteBlanks: true })), JSON.stringify(w)).toEqual([w]);
      }
    }
  });

  it('refuses a NUL byte and chars above 255', () => {
    expect(() => quote('a\0b')).toThrow(RangeError);
    expect(() => quote('a\0b')).toThrow(/NUL/);
    expect(() => quote('\u0100')).toThrow(RangeError);
  });

  it('visible: control bytes are written as escapes inside quotes', () => {
    expect(quote('a\nb', { visible: true })).toBe('"a\\nb"');
    expect(quote('\x1b[0m', { visible: true })).toBe('"\\0x1b[0m"');
    expect(quote('\x1b1', { visible: true })).toBe('"\\0x1b1"');
    expect(quote('a\tb c', { visible: true })).toBe('"a\\tb c"');
    expect(quote('a b', { visible: true })).toBe('a\\ b');
    expect(quote('\x7f', { visible: true })).toBe('"\\0x7f"');
  });

  it('quoteBlanks: whitespace goes inside quotes', () => {
    expect(quote('a b', { quoteBlanks: true })).toBe('"a b"');
    expect(quote(' ', { quoteBlanks: true })).toBe('" "');
    expect(quote('a\nb', { quoteBlanks: true })).toBe('"a\nb"');
    expect(quote('a\nb', { quoteBlanks: true, visible: true })).toBe('"a\\nb"');
    expect(quote('a"b', { quoteBlanks: true })).toBe('a\\"b');
    expect(quote('{', { quoteBlanks: true })).toBe('\\{');
    expect(quote('echo done', { quoteBlanks: true, visible: true })).toBe('"echo done"');
  });
});

describe('quoteArgv and formatArgv', () => {
  it('quoteArgv writes block words as plain words', () => {
    expect(quoteArgv(['foreground', ' echo', ' a', '', 'echo', 'b'])).toBe('foreground \\ echo \\ a "" echo b');
    expect(quoteArgv([])).toBe('');
  });

  it('formatArgv writes blocks with braces', () => {
    expect(formatArgv(['foreground', ' echo', ' a', '', 'echo', 'b'])).toBe('foreground { echo a } echo b');
    expect(formatArgv(['if', ' if', '  true', ' ', ' echo', '', 'x'])).toBe('if { if { true } echo } x');
    expect(formatArgv(['foreground', ' echo', '   ', ''])).toBe('foreground { echo "  " }');
    expect(formatArgv(['foreground', ' echo', '  ', ''])).toBe('foreground { echo \\  }');
    expect(formatArgv(['foreground', ' {', ' }', ''])).toBe('foreground { \\{ \\} }');
    expect(formatArgv(['echo', ' a'])).toBe('echo \\ a');
    expect(formatArgv(['echo', ''])).toBe('echo ""');
  });

  it('both read back as the same argv, for random argvs with blocks', () => {
    const r = rng(7);
    for (let k = 0; k < 5000; k++) {
      const argv = randomArgv(r, true);
      expect(scan(quoteArgv(argv)), JSON.stringify(argv)).toEqual(argv);
      expect(scan(formatArgv(argv)), JSON.stringify(argv)).toEqual(argv);
      expect(scan(formatArgv(argv, { visible: true })), JSON.stringify(argv)).toEqual(argv);
    }
  });
});

describe('the reference reads quoted words back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quote-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // One script per argv: printf writes each word and a NUL; the reference's execlineb reads the
  // script from a file (bytes as they are).
  async function refWords(script: string, name: string): Promise<string[]> {
    const file = join(dir, name);
    writeFileSync(file, Buffer.from(`/usr/bin/printf %s\\\\0 ${script}`, 'latin1'));
    const r = await spawnAsync(join(REF_BIN, 'execlineb'), ['-P', file], { env: { PATH: '/usr/bin:/bin' } });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout === '' ? [] : r.stdout.slice(0, -1).split('\0');
  }

  it('quote, quoteArgv and formatArgv, on random argvs and every byte', async () => {
    const r = rng(42);
    const argvs: string[][] = [];
    for (let k = 0; k < 60; k++) argvs.push(randomArgv(r, k % 2 === 0).filter((w) => w !== '' || k % 2 === 0));
    const every: string[] = [];
    for (let c = 1; c < 256; c++) every.push(String.fromCharCode(c), `{${String.fromCharCode(c)}`);
    argvs.push(every, ['', '{', '}', '#x', '""', ' ', '\n', 'a\nb', '\\', '{\n', '{ ']);
    let k = 0;
    for (const argv of argvs) {
      // printf with no word prints its format once: always give it one word first.
      const words = ['-', ...argv];
      expect(await refWords(quoteArgv(words), `a${k}`), JSON.stringify(argv)).toEqual(words);
      expect(await refWords(formatArgv(words), `b${k}`), JSON.stringify(argv)).toEqual(words);
      expect(await refWords(quoteArgv(words, { visible: true }), `c${k}`), JSON.stringify(argv)).toEqual(words);
      expect(await refWords(formatArgv(words, { visible: true, quoteBlanks: true }), `d${k}`), JSON.stringify(argv)).toEqual(words);
      k++;
    }
  });
});
