// The installer: writes a launcher for every command into a directory (/usr/bin, /command...).
// Each launcher is a copy of dist/launcher (chainloaders/sys/launcher.c, a small C program) whose
// config block names Node and the bundle by absolute path, so `#!/DIR/execlineb -P` scripts work
// even with no PATH at all, no shell runs in between, and Node starts with none of the caller's
// environment (the launcher hands the caller's process over in a memfd).
import { mkdirSync, writeFileSync, renameSync, realpathSync, readFileSync } from 'node:fs';
import { resolve, join, dirname } from 'node:path';
import { allNames } from './registry.js';
import { LAUNCHER_MARK, getSelfPath } from './trampoline.js';

/** The launcher binary with Node's and the bundle's paths written into its config block. */
export function launcherImage(file: string, node: string, bundle: string, command: string): Buffer {
  const image = readFileSync(file);
  const at = image.indexOf(LAUNCHER_MARK);
  if (at < 0) throw new Error(`${file} is not an execline-ts launcher`);
  const start = at + Buffer.byteLength(LAUNCHER_MARK);
  const config = Buffer.from(`${node}\0${bundle}\0${command}\0`);
  if (start + config.length > at + 4096) throw new Error(`paths too long for the launcher (${node}, ${bundle})`);
  config.copy(image, start);
  return image;
}

/** `--install DIR`: returns an exit code. */
export function install(args: string[]): number {
  const dir = args[0];
  if (!dir || args.length > 1) {
    process.stderr.write('execline: usage: execline-ts --install DIR\n');
    return 100;
  }
  const node = realpathSync(process.execPath);
  const bundle = realpathSync(getSelfPath());
  const target = resolve(dir);
  const image = (name: string) => launcherImage(join(dirname(bundle), 'launcher'), node, bundle, name);
  try {
    image('execlineb');
  } catch (e) {
    process.stderr.write(`execline: fatal: cannot install: ${(e as Error).message}\n`);
    return 111;
  }
  try {
    mkdirSync(target, { recursive: true });
    for (const name of allNames()) {
      const tmp = join(target, `.${name}.tmp`);
      writeFileSync(tmp, image(name), { mode: 0o755 });
      renameSync(tmp, join(target, name));
    }
  } catch (e) {
    process.stderr.write(`execline: fatal: unable to install into ${target}: ${(e as Error).message}\n`);
    return 111;
  }
  process.stdout.write(`installed ${allNames().length} commands into ${target}\n`);
  return 0;
}
