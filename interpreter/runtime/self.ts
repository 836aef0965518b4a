// Where the running program lives: the entry file that launchers run, needed to start a real
// Node child running our own commands (background, parallel loops, deep blocks, the installer).

let selfPath = '';

export function setSelfPath(p: string): void {
  selfPath = p;
}

/** The entry file of the bundled program (what launchers run). */
export function getSelfPath(): string {
  return selfPath;
}

/** The marker our launchers carry (launcher.c's config block), so a path to one of them also dispatches in-process. */
export const LAUNCHER_MARK = 'execline-ts launcher config:';
