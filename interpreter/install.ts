// The installer: writes a launcher for every command into a directory (/usr/bin, /command...).
// Each launcher is a two-line file whose #! line names Node and the bundle by absolute path, so
// `#!/DIR/execlineb -P` scripts work even with no PATH at all, and no shell runs in between.
import { mkdirSync, writeFileSync, renameSync, realpathSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { allNames } from './registry.js';
import { LAUNCHER_MARK, getSelfPath } from './trampoline.js';

/** `--install DIR`: returns an exit code. */
export function install(args: string[]): number {
  const dir = args[0];
  if (!dir || args.length > 1) {
    process.stderr.write('execline: usage: execline-ts --install DIR\n');
    return 100;
  }
  const node = realpathSync(process.execPath);
  const bundle = realpathSync(getSelfPath());
  if (/\s/.test(node + bundle)) {
    process.stderr.write(`execline: fatal: cannot install: a #! line cannot hold paths with spaces (${node}, ${bundle})\n`);
    return 100;
  }
  const target = resolve(dir);
  try {
    mkdirSync(target, { recursive: true });
    for (const name of allNames()) {
      const text = `#!${node} ${bundle}\n# ${LAUNCHER_MARK} (execline-ts command: ${name})\n`;
      const tmp = join(target, `.${name}.tmp`);
      writeFileSync(tmp, text, { mode: 0o755 });
      renameSync(tmp, join(target, name));
    }
  } catch (e) {
    process.stderr.write(`execline: fatal: unable to install into ${target}: ${(e as Error).message}\n`);
    return 111;
  }
  process.stdout.write(`installed ${allNames().length} commands into ${target}\n`);
  return 0;
}
