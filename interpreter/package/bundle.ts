// The entry of the CLI's own bundle (dist/execline-cli.cjs): `execline-ts` (install, uninstall,
// lint, fmt, --help) and the build's `--write-launchers`. The run path never loads it: main.ts
// reaches it by a dynamic import that the build points at this bundle, so the code every command
// start reads and deserializes (dist/execline-core.cjs) does not carry the installer.
//
// This bundle has its own copy of the modules it imports, so the state they keep is handed over
// from the core that loaded it: the command table (for the names) and the entry file's path.
import type { CommandEntry } from '../command/command.js';
import { setCommandTable } from '../command/registry.js';
import { setSelfPath } from '../runtime/self.js';
import { cli, type CliResult } from './cli.js';
import { warmCodeCache, writeLaunchers, type RuntimePair } from './install.js';

/** What the core hands over: its command table (names, loaders) and its entry file's path. */
export interface Shared {
  table: readonly CommandEntry[];
  selfPath: string;
}

function adopt(shared: Shared): void {
  setCommandTable(shared.table);
  setSelfPath(shared.selfPath);
}

/** `execline-ts ARGS...` (cli.ts): an exit code, or a command of ours to run with its arguments. */
export function runCli(args: string[], shared: Shared): CliResult {
  adopt(shared);
  return cli(args);
}

/** `--write-launchers DIR PAIRS` (install.ts writeLaunchers). Throws as writeLaunchers does. */
export function runWriteLaunchers(dir: string, pairs: RuntimePair[], shared: Shared): void {
  adopt(shared);
  writeLaunchers(dir, pairs);
}

/** `--warm-code-cache EXECLINEB` (install.ts warmCodeCache): the build fills bin/'s cache. */
export function runWarmCodeCache(execlineb: string, shared: Shared): void {
  adopt(shared);
  warmCodeCache(execlineb);
}
