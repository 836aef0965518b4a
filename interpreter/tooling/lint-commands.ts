// The shape of every execline and s6 chain-loading command, as the linter needs it: which options
// it takes (getopt letters, ':' after those with an argument), how many words follow them, which
// blocks, and what comes after (a program it chains into, plain arguments, or nothing). The
// options are the commands' own (interpreter/commands, chainloaders): the tooling layer may not
// import them, so they are listed here, and spec/interpreter/tooling/lint.test.ts checks each
// usage line against them.

/** What a block holds. */
export type BlockRole =
  /** An instruction list: a program, run by the command (foreground, if, backtick...). */
  | 'prog'
  /** Plain words (forx's values, wait's pids). */
  | 'words'
  /** Substitution keys (multidefine). */
  | 'keys'
  /** case's regular expressions, each followed by a block. */
  | 'case'
  /** trap's signal names, each followed by a block. */
  | 'trap'
  /** multisubstitute's directives. */
  | 'subst';

export interface CommandSpec {
  /** getopt letters; a letter followed by ':' takes an argument. */
  opts: string;
  /** Words after the options (a key, a value, an fd...). */
  operands: number;
  /** Of those, how many may be missing (exit's code, posix-cd's path). */
  optionalOperands?: number;
  /** The blocks after the operands, in order. */
  blocks: BlockRole[];
  /** What the rest of the command line is: the program the command chains into, its arguments, or nothing. */
  rest: 'prog' | 'args';
  /** Unknown options are ignored (s6-softlimit), or the command's arguments are not options at all (eltest). */
  lenient?: boolean;
  /** The command's arguments are another language's (execlineb -c: a nested script). */
  foreign?: boolean;
  /** The operands that are file descriptor numbers. */
  fds?: number[];
  /** Removed upstream: the replacement to name. */
  removed?: string;
}

const chain = (opts: string, operands: number, blocks: BlockRole[] = [], extra: Partial<CommandSpec> = {}): CommandSpec => ({
  opts,
  operands,
  blocks,
  rest: 'prog',
  ...extra,
});
const terminal = (opts: string, operands: number, extra: Partial<CommandSpec> = {}): CommandSpec => ({ opts, operands, blocks: [], rest: 'args', ...extra });

/** Every command of execline 2.9.3 and of the s6 chain-loaders this package provides, by name. */
export const COMMANDS: Record<string, CommandSpec> = {
  background: chain('d', 0, ['prog']),
  backtick: chain('iIxD:NnEe', 1, ['prog']),
  case: chain('sSeEnNi', 1, ['case']),
  cd: chain('', 1),
  'execline-cd': chain('', 1),
  define: chain('NnsCcd:', 2),
  dollarat: terminal('nd:0', 0),
  elgetopt: chain('D:', 1),
  elgetpositionals: chain('P:', 0),
  elglob: chain('vwsme0', 2),
  eltest: terminal('', 0, { lenient: true }),
  's6-test': terminal('', 0, { lenient: true, removed: 'eltest' }),
  emptyenv: chain('pcoP', 0),
  envfile: chain('iI', 1),
  exec: chain('cla:', 0),
  execlineb: terminal('pPqwWc:S:s:', 0, { lenient: true, foreign: true }),
  exit: terminal('', 1, { optionalOperands: 1 }),
  export: chain('', 2),
  fdblock: chain('n', 1, [], { fds: [0] }),
  fdclose: chain('', 1, [], { fds: [0] }),
  fdmove: chain('c', 2, [], { fds: [0, 1] }),
  fdreserve: chain('', 1),
  fdswap: chain('', 2, [], { fds: [0, 1] }),
  forbacktickx: chain('pNnCc0d:o:x:Ee', 1, ['prog']),
  foreground: chain('', 0, ['prog']),
  forstdin: chain('pP:NnCc0d:o:x:Ee', 1),
  forx: chain('pP:o:x:Ee', 1, ['words']),
  getcwd: chain('Ee', 1),
  getpid: chain('EePp', 1),
  heredoc: chain('d', 2, [], { fds: [0] }),
  homeof: terminal('', 1),
  if: chain('nXtx:', 0, ['prog']),
  ifelse: chain('nX', 0, ['prog', 'prog']),
  ifte: chain('Xn', 0, ['prog', 'prog']),
  ifthenelse: chain('Xs', 0, ['prog', 'prog', 'prog']),
  import: chain('iuD:NnsCcd:', 1, [], { removed: 'importas' }),
  importas: chain('iuD:NnsCcd:', 2),
  loopwhilex: chain('no:x:', 0),
  multidefine: chain('0rNnCcd:', 1, ['keys']),
  multisubstitute: chain('', 0, ['subst']),
  pipeline: chain('drw', 0, ['prog']),
  piperw: chain('', 2, [], { fds: [0, 1] }),
  'posix-cd': chain('LP', 1, [], { lenient: true, optionalOperands: 1 }),
  'posix-umask': chain('S', 1, [], { lenient: true, optionalOperands: 1 }),
  runblock: terminal('Prn:', 1),
  's6-echo': terminal('ns:', 0),
  shift: chain('n:b:', 0),
  trap: chain('xt:', 0, ['trap']),
  tryexec: chain('ncla:', 0, ['prog']),
  umask: chain('', 1),
  'execline-umask': chain('', 1),
  unexport: chain('', 1),
  wait: chain('iIaort:', 0, ['words']),
  withstdinas: chain('iINnD:Ee', 1),
  // s6 and s6-overlay
  printcontenv: terminal('', 1),
  redirfd: chain('rwuaxnb', 2, [], { fds: [0] }),
  's6-applyuidgid': chain('zUu:g:G:', 0),
  's6-dumpenv': terminal('Nnm:', 1),
  's6-envdir': chain('IinfLc:', 1),
  's6-envuidgid': chain('ugBniD:', 1),
  's6-setsid': chain('sbfgiIqd:', 0),
  's6-setuidgid': chain('', 1),
  's6-softlimit': chain('a:c:d:f:l:m:o:p:r:s:t:', 0, [], { lenient: true }),
  'with-contenv': chain('', 0),
  // s6-overlay v2's helper: importas from an envdir file
  'import-from-envdir': chain('uD:', 2),
};

/** Which commands bind a substitution key, or put a variable in the environment, and how. */
export interface BindingRule {
  /** The operand holding the key (or variable name). */
  operand: number;
  /** With this option the command substitutes (autoimport); without it, it sets the environment. */
  autoImport?: string;
  /** It always substitutes (define, importas, elglob...). */
  substitutes?: boolean;
  /** It only sets the environment (export). */
  envOnly?: boolean;
}

export const BINDERS: Record<string, BindingRule> = {
  define: { operand: 0, substitutes: true },
  importas: { operand: 0, substitutes: true },
  import: { operand: 0, substitutes: true },
  'import-from-envdir': { operand: 1, substitutes: true },
  elglob: { operand: 0, substitutes: true },
  backtick: { operand: 0, autoImport: 'E' },
  withstdinas: { operand: 0, autoImport: 'E' },
  forx: { operand: 0, autoImport: 'E' },
  forstdin: { operand: 0, autoImport: 'E' },
  forbacktickx: { operand: 0, autoImport: 'E' },
  getpid: { operand: 0, autoImport: 'E' },
  getcwd: { operand: 0, autoImport: 'E' },
  export: { operand: 0, envOnly: true },
};

/** The directives multisubstitute accepts. */
export const SUBST_DIRECTIVES = new Set(['define', 'importas', 'elglob', 'elgetpositionals', 'multidefine']);

/**
 * Programs whose arguments are another language: a quoted argument to them is that language's
 * text (`sh -c "echo $HOME"`), where $, quotes and backslashes mean what that language says.
 */
export const FOREIGN = new Set([
  'sh',
  'bash',
  'dash',
  'ash',
  'zsh',
  'ksh',
  'mksh',
  'busybox',
  'awk',
  'gawk',
  'mawk',
  'nawk',
  'sed',
  'perl',
  'python',
  'python2',
  'python3',
  'ruby',
  'php',
  'node',
  'jq',
  'lua',
  'tclsh',
  'su',
  'runuser',
  'ssh',
  'flock',
  'watch',
  'xargs',
  'envsubst',
  'execlineb',
]);

/** Shell builtins and keywords that are no program: as a command they fail with "not found". */
export const SHELL_BUILTINS: Map<string, string> = new Map([
  ['set', 'execlineb has no options to set: drop it (a failing command already ends the script)'],
  ['unset', 'use unexport VAR'],
  ['source', 'execline cannot include a file: use s6-envdir or envfile for variables'],
  ['.', 'execline cannot include a file: use s6-envdir or envfile for variables'],
  ['local', 'use define or importas'],
  ['declare', 'use define or importas'],
  ['typeset', 'use define or importas'],
  ['readonly', 'use define'],
  ['let', 'execline has no arithmetic'],
  ['eval', 'execline has no eval'],
  ['alias', 'execline has no aliases'],
  ['ulimit', 'use s6-softlimit'],
  ['read', 'use withstdinas or forstdin'],
  ['then', 'this is shell syntax: use if { test } prog, or ifelse { test } { then } else'],
  ['else', 'this is shell syntax: use ifelse { test } { then } else'],
  ['elif', 'this is shell syntax: use ifelse'],
  ['fi', 'this is shell syntax: use if { test } prog, or ifelse { test } { then } else'],
  ['do', 'this is shell syntax: use forx, forstdin or loopwhilex'],
  ['done', 'this is shell syntax: use forx, forstdin or loopwhilex'],
  ['while', 'use loopwhilex'],
  ['until', 'use loopwhilex -x 0'],
  ['esac', 'use case'],
  ['function', 'execline has no functions: use a separate script'],
]);
