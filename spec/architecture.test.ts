// The layering of docs/design.md, checked on the source: which folder may import which, no import
// cycle (dynamic imports counted), and no Linux fact outside the platform layer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/** Every .ts file under the source folders, relative to the repository. */
function sources(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(join(ROOT, d))) {
      const p = join(d, e);
      if (statSync(join(ROOT, p)).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push(p);
    }
  };
  walk('interpreter');
  walk('chainloaders');
  return out.sort();
}

/** The files a source imports (static, dynamic and type-only), relative to the repository. */
function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[^\w.])(?:import|export)\s*(?:type\s+)?(?:[^'"`;]*?\sfrom\s*)?\(?\s*'(\.[^']+)'/gm;
  for (const m of text.matchAll(re)) {
    const target = relative(ROOT, resolve(ROOT, dirname(file), m[1])).replace(/\.js$/, '.ts');
    out.push(target);
  }
  return out;
}

/** The layer a file belongs to: its folder under interpreter/, or "chainloaders". */
function layerOf(file: string): string {
  if (file.startsWith('chainloaders/')) return 'commands';
  // The command table the build writes: it lists the commands, and only the entry uses it.
  if (file === 'interpreter/command/commands.generated.ts') return 'table';
  // The entry: it hands the runtime the table, and runs the CLI and the installer.
  if (file === 'interpreter/runtime/main.ts') return 'entry';
  return file.split('/')[1].replace(/\.ts$/, '');
}

/** Which layers each layer may import (itself included unless said). */
const ALLOWED: Record<string, string[]> = {
  language: ['language'],
  platform: ['platform', 'language'],
  toolkit: ['toolkit', 'language', 'platform'],
  command: ['command', 'language', 'toolkit', 'platform'],
  // The tools beyond the reference (parser, formatter, linter): never on the run path.
  tooling: ['tooling', 'language', 'toolkit'],
  // A command imports no other command, and reaches the runtime only through the Context.
  commands: ['command', 'language', 'toolkit', 'platform'],
  runtime: ['runtime', 'command', 'language', 'toolkit', 'platform'],
  package: ['package', 'tooling', 'runtime', 'command', 'language', 'toolkit', 'platform'],
  table: ['command', 'commands'],
  entry: ['runtime', 'table', 'package', 'command', 'language', 'toolkit', 'platform'],
};

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of sources()) g.set(f, importsOf(f, readFileSync(join(ROOT, f), 'utf8')));
  return g;
}

/** Tarjan's strongly connected components with more than one file (or a file importing itself). */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (g.get(v) ?? []).includes(v)) out.push(c.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('architecture', () => {
  it('the import scanner sees static, type-only, re-exported and dynamic imports', () => {
    const text = [
      "import { a } from './x.js';",
      "import type { B } from '../y/b.js';",
      "export { c } from './c.js';",
      "const m = await import('../platform/index.js');",
      "import {\n  d,\n  e,\n} from './multi.js';",
    ].join('\n');
    expect(importsOf('interpreter/command/f.ts', text)).toEqual([
      'interpreter/command/x.ts',
      'interpreter/y/b.ts',
      'interpreter/command/c.ts',
      'interpreter/platform/index.ts',
      'interpreter/command/multi.ts',
    ]);
  });

  it('each layer imports only the layers below it', () => {
    const bad: string[] = [];
    for (const [f, deps] of graph()) {
      const from = layerOf(f);
      const allowed = ALLOWED[from];
      expect(allowed, `no layer rule for ${f}`).toBeDefined();
      for (const d of deps) {
        const to = layerOf(d);
        if (!allowed.includes(to)) bad.push(`${f} -> ${d}`);
        // No command imports another command.
        if (from === 'commands' && to === 'commands') bad.push(`${f} -> ${d}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has no import cycle, dynamic imports counted', () => {
    expect(cycles(graph())).toEqual([]);
  });

  it('the cycle finder finds a cycle', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
  });

  it('keeps /proc paths and raw rlimit numbers inside the platform layer', () => {
    const bad: string[] = [];
    for (const f of sources()) {
      if (f.startsWith('interpreter/platform/')) continue;
      const text = readFileSync(join(ROOT, f), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
      if (/'\/proc\/|`\/proc\//.test(text)) bad.push(`${f}: /proc path`);
      if (/\bresource === \d|\bgetrlimit\(\d|\bsetrlimit\(\d/.test(text)) bad.push(`${f}: rlimit number`);
    }
    expect(bad).toEqual([]);
  });
});
