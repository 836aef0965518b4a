// The linter's rules: each one's ID, default severity and one-line summary. The page
// docs/lint/ID.md says for each the mistake, why it is wrong in execline, the fix and an example.

export type Severity = 'error' | 'warning' | 'info';

export interface RuleInfo {
  id: string;
  severity: Severity;
  /** A short name, for SARIF and listings. */
  name: string;
  summary: string;
}

const rule = (id: string, severity: Severity, name: string, summary: string): RuleInfo => ({ id, severity, name, summary });

/** Every rule, in ID order. Some rules report a lower or higher severity in some cases (their page says when). */
export const RULES: RuleInfo[] = [
  // structure
  rule('EL100', 'error', 'unterminated-quote', 'A quoted string is never closed'),
  rule('EL101', 'error', 'unclosed-block', 'A block is never closed'),
  rule('EL102', 'error', 'stray-close', 'A } closes no block'),
  rule('EL103', 'error', 'bad-escape', 'A malformed escape, a backslash at the end of the script, or a NUL byte'),
  rule('EL104', 'warning', 'glued-brace', 'A brace glued to a word is part of the word, not a block'),
  rule('EL105', 'error', 'missing-block', 'A command that reads a block is not followed by one'),
  rule('EL106', 'error', 'unexpected-block', 'A block where a command or an argument is expected'),
  rule('EL107', 'error', 'command-usage', 'An unknown option or a missing argument for an execline or s6 command'),
  rule('EL108', 'error', 'missing-program', 'A chain-loader with nothing to chain into'),
  rule('EL110', 'error', 'shebang-position', 'The #! line is not at the very start of the file'),
  rule('EL111', 'error', 'shebang-arguments', 'The #! interpreter gets more than one argument, which Linux passes as one'),
  rule('EL112', 'warning', 'crlf', 'CRLF line endings (an error on the #! line)'),
  rule('EL113', 'error', 'no-shebang', 'A run or finish script without a #! line'),
  // shell syntax
  rule('EL201', 'error', 'single-quotes', "Single quotes: '...' is not quoting in execline"),
  rule('EL202', 'error', 'shell-operator', 'A shell operator (>, 2>&1, |, &&, ;...) is an ordinary word in execline'),
  rule('EL203', 'error', 'shell-assignment', 'export VAR=value or VAR=value prog: a shell assignment'),
  rule('EL204', 'error', 'parameter-expansion', '${VAR:-default} and other shell parameter expansions are not execline'),
  rule('EL205', 'error', 'command-substitution', '$(...) and backquotes are not execline'),
  rule('EL206', 'warning', 'dropped-backslash', 'execlineb drops a backslash before a character it does not treat specially'),
  rule('EL207', 'error', 'shell-builtin', 'A shell builtin or keyword used as a command'),
  // substitution
  rule('EL301', 'warning', 'unbound-variable', '$VAR with no substitution binding it: the environment is not substituted'),
  rule('EL302', 'error', 'positional-not-substituted', '$1, $@... in a script whose #! line does not substitute them'),
  rule('EL303', 'error', 'bare-name-runs-on', '$NAME followed by more characters: the name runs on, use ${NAME}'),
  rule('EL304', 'warning', 'unused-import', 'A variable imported with importas is never used'),
  rule('EL305', 'info', 'unsplit-list', 'A value with spaces substituted as one word: -s was likely meant'),
  rule('EL306', 'warning', 'newline-in-word', 'A value that may end with a newline pasted inside a longer word'),
  rule('EL307', 'error', 'environment-not-substituted', '$VAR set in the environment (backtick, forx... without -E, export) is not substituted'),
  // s6
  rule('EL401', 'error', 's6-setuidgid-group', 's6-setuidgid user:group: it takes an account, the group comes from it'),
  rule('EL402', 'error', 'finish-arguments', 'A finish script reads $1/$2 but its #! line does not substitute them'),
  rule('EL403', 'warning', 'negated-test', 'if -n { eltest ... }: a test error (exit 100) counts as false'),
  rule('EL404', 'warning', 'removed-command', 'A command removed upstream (import, s6-test)'),
  rule('EL405', 'error', 'multisubstitute-directive', 'A multisubstitute directive it does not know'),
];

export const RULE_BY_ID: Map<string, RuleInfo> = new Map(RULES.map((r) => [r.id, r]));
