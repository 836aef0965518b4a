// envfile: reads `key = value` lines (comments, quoted values with C escapes, backslash line
// continuations) and adds the variables to the environment.
import { closeSync, openSync } from 'node:fs';
import { defineCommand, options } from '../interpreter/command/command.js';
import { EXIT_SYS, fatal, fatalSys, usage } from '../interpreter/command/errors.js';
import { fromBuffer, toBuffer } from '../interpreter/language/bytes.js';
import { readAll } from '../interpreter/toolkit/io.js';

const BLANK = ' \t\f\r';
const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const HEX = /^[0-9a-fA-F]{2}$/;

class SyntaxError_ extends Error {
  constructor(public line: number) {
    super('syntax error');
  }
}

/** Parses the file's text into assignments, in order; throws SyntaxError_ with the line. */
export function parseEnvfile(text: string): Array<[string, string]> {
  const nul = text.indexOf('\0');
  if (nul >= 0) text = text.slice(0, nul);
  const out: Array<[string, string]> = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  const fail = (): never => {
    throw new SyntaxError_(line);
  };
  while (i < n) {
    // start of a line: blanks, then a comment, an empty line, or a key
    while (i < n && BLANK.includes(text[i])) i++;
    if (i >= n) break;
    if (text[i] === '\n') {
      i++;
      line++;
      continue;
    }
    if (text[i] === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    let key = '';
    while (i < n && !BLANK.includes(text[i]) && text[i] !== '=' && text[i] !== '\n') {
      if (text[i] === '"' || text[i] === '\\') fail();
      key += text[i++];
    }
    if (key === '') fail();
    while (i < n && BLANK.includes(text[i])) i++;
    if (i >= n || text[i] !== '=') fail();
    i++;
    // the value: unquoted runs and quoted parts; blanks between content are kept, trailing ones not
    let value = '';
    let pending = '';
    let started = false;
    while (i < n && text[i] !== '\n') {
      const c = text[i];
      if (BLANK.includes(c)) {
        if (started) pending += c;
        i++;
      } else if (c === '\\') {
        const d = text[i + 1];
        if (d === '\n') {
          i += 2;
          line++;
          started = true;
        } else if (d !== undefined && BLANK.includes(d)) {
          value += pending + d;
          pending = '';
          started = true;
          i += 2;
        } else fail();
      } else if (c === '"') {
        value += pending;
        pending = '';
        started = true;
        i++;
        for (;;) {
          if (i >= n || text[i] === '\n') fail();
          const q = text[i++];
          if (q === '"') break;
          if (q !== '\\') {
            value += q;
            continue;
          }
          if (i >= n) fail();
          const e = text[i++];
          if (e === '\n') {
            line++;
          } else if (ESCAPES[e] !== undefined) value += ESCAPES[e];
          else if (e === 'x') {
            const h = text.slice(i, i + 2);
            if (!HEX.test(h)) fail();
            value += String.fromCharCode(parseInt(h, 16));
            i += 2;
          } else if (e >= '0' && e <= '7') {
            let o = e;
            while (o.length < 3 && i < n && text[i] >= '0' && text[i] <= '7') o += text[i++];
            value += String.fromCharCode(parseInt(o, 8) & 0xff);
          } else value += e;
        }
      } else {
        value += pending + c;
        pending = '';
        started = true;
        i++;
      }
    }
    const z = value.indexOf('\0');
    out.push([key, z >= 0 ? value.slice(0, z) : value]);
  }
  return out;
}

export const envfile = defineCommand({
  names: ['envfile'],
  prog: 'envfile',
  usage: 'envfile [ -i | -I ] file prog...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'iI');
    let strict = true;
    for (const o of opts) strict = o.key === 'i';
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const file = argv[index];
    const name = file === '-' ? 'standard input' : file;
    let fd: number;
    if (file === '-') fd = ctx.realFd(0);
    else {
      try {
        fd = openSync(toBuffer(file), 'r');
      } catch (e) {
        if (strict || (e as NodeJS.ErrnoException).code !== 'ENOENT') fatalSys(this.prog, EXIT_SYS, `open ${name}`, e);
        return argv.slice(index + 1);
      }
    }
    let text: string;
    try {
      text = fromBuffer(readAll(fd));
    } catch (e) {
      fatalSys(this.prog, EXIT_SYS, `read from ${name}`, e);
    } finally {
      if (file !== '-') closeSync(fd);
    }
    let pairs: Array<[string, string]>;
    try {
      pairs = parseEnvfile(text);
    } catch (e) {
      if (e instanceof SyntaxError_) fatal(this.prog, 1, `in ${name}: syntax error line ${e.line}`);
      throw e;
    }
    for (const [k, v] of pairs) ctx.setEnv(k, v);
    return argv.slice(index + 1);
  },
});
