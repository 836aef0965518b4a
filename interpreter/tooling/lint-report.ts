// The linter's findings written out for `execline-ts lint`: text (FILE:LINE:COL: severity: message
// [ID], one a line), JSON (a list of findings), or SARIF 2.1.0 (for code-scanning tools). Text is
// a byte string, written as it is (file names and script bytes as they were); JSON and SARIF are
// text, the byte strings in them decoded as UTF-8.
import type { Finding } from './lint.js';
import { RULES } from './lint-rules.js';

export type ReportFormat = 'text' | 'json' | 'sarif';

export interface ReportOptions {
  /** The tool's version, for SARIF. */
  version: string;
  /** Each file's bytes (byte strings), for SARIF's columns (UTF-16 code units there, bytes in findings). */
  sources: Map<string, string>;
}

/** Where the rules' pages are, for SARIF's helpUri. */
export const DOCS_URL = 'https://github.com/execline-ts/execline-ts/blob/main/docs/lint/';

/** A byte string as text: UTF-8 decoded (bytes that are not UTF-8 become U+FFFD). */
const text = (bytes: string) => Buffer.from(bytes, 'latin1').toString('utf8');

/** The findings in a format: a byte string for text, text for JSON and SARIF. */
export function formatFindings(findings: Finding[], format: ReportFormat, o: ReportOptions): string {
  if (format === 'text') return findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.id}]\n`).join('');
  if (format === 'json') return `${JSON.stringify(findings.map(jsonFinding), null, 2)}\n`;
  return `${JSON.stringify(sarif(findings, o), null, 2)}\n`;
}

function jsonFinding(f: Finding) {
  const out: Record<string, unknown> = {
    file: text(f.file),
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    severity: f.severity,
    id: f.id,
    message: text(f.message),
  };
  if (f.fix) out.fix = { range: f.fix.range, replacement: text(f.fix.replacement) };
  return out;
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A file name as a SARIF artifact URI: relative names stay relative, stdin is `stdin`. */
function uriOf(file: string): string {
  if (file === '-') return 'stdin';
  const t = text(file);
  const enc = t
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
  return t.startsWith('/') ? `file://${enc}` : enc;
}

/** A 1-based byte column of a line as a 1-based UTF-16 column. */
function utf16Column(source: string | undefined, line: number, column: number): number {
  if (source === undefined) return column;
  let at = 0;
  for (let k = 1; k < line && at >= 0; k++) {
    const nl = source.indexOf('\n', at);
    at = nl < 0 ? -1 : nl + 1;
  }
  if (at < 0) return column;
  return text(source.slice(at, at + column - 1)).length + 1;
}

function sarif(findings: Finding[], o: ReportOptions) {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'execline-ts lint',
            version: o.version,
            informationUri: `${DOCS_URL}README.md`,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              helpUri: `${DOCS_URL}${r.id}.md`,
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => {
          const src = o.sources.get(f.file);
          const uri = uriOf(f.file);
          const result: Record<string, unknown> = {
            ruleId: f.id,
            ruleIndex: index.get(f.id),
            level: LEVEL[f.severity],
            message: { text: text(f.message) },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri },
                  region: {
                    startLine: f.line,
                    startColumn: utf16Column(src, f.line, f.column),
                    endLine: f.endLine,
                    endColumn: utf16Column(src, f.endLine, f.endColumn),
                  },
                },
              },
            ],
          };
          if (f.fix)
            result.fixes = [
              {
                description: { text: 'Apply the safe fix' },
                artifactChanges: [
                  {
                    artifactLocation: { uri },
                    replacements: [
                      {
                        deletedRegion: { byteOffset: f.fix.range.offset, byteLength: f.fix.range.endOffset - f.fix.range.offset },
                        insertedContent: { text: text(f.fix.replacement) },
                      },
                    ],
                  },
                ],
              },
            ];
          return result;
        }),
      },
    ],
  };
}
