// CLI for working on cases without vitest:
//   npx vite-node conformance/run-one.ts [--ref] [--all] FILTER
// FILTER is as for CASE (name[,name] | group/ | /regex/). Without --ref it compares both sides and
// prints the report of each failing case (with --all, of every case). With --ref it only runs the
// reference (or shows the expectation) and prints what it did: useful when writing a new case.
import { checkCase, filterCases, loadCases, refBin, runCase } from './runner';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const refOnly = args.includes('--ref');
  const all = args.includes('--all');
  const filter = args.filter((a) => !a.startsWith('--')).join(',');
  const cases = filterCases(loadCases(), filter || undefined);
  if (cases.length === 0) {
    console.error(`run-one: fatal: no case matches ${JSON.stringify(filter)}`);
    return 100;
  }
  let failed = 0;
  for (const c of cases) {
    if (refOnly) {
      if (c.expect) {
        console.log(`== ${c.group}/${c.name}: expectation exit ${c.expect.exit} stdout ${JSON.stringify(c.expect.stdout)}`);
        continue;
      }
      const r = await runCase(c, refBin, c.refScript ?? c.script);
      const status = r.timedOut ? 'TIMEOUT' : r.signal ? `signal ${r.signal}` : `exit ${r.exit}`;
      console.log(`== ${c.group}/${c.name}: ${status}`);
      console.log(`stdout: ${JSON.stringify(r.stdout.toString('utf8'))}`);
      if (r.stderr) console.log(`stderr: ${JSON.stringify(r.stderr)}`);
      for (const [name, f] of Object.entries(r.files)) console.log(`${name}: ${f === null ? '(absent)' : JSON.stringify(f.toString('utf8'))}`);
      continue;
    }
    const v = await checkCase(c);
    if (!v.ok) failed++;
    if (!v.ok || all) console.log(`== ${v.ok ? 'PASS' : 'FAIL'} ${c.group}/${c.name}\n${v.report}\n`);
  }
  if (!refOnly) console.log(`${cases.length - failed}/${cases.length} passed`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code));
