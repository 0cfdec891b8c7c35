// The results of a Node.js test program: one line per check, "ok   name", or "FAIL name" with
// its problems indented below, and the tally for the closing "N passed, N failed" line.
const tally = { passed: 0, failed: 0 };

export function report(name, problems) {
  if (problems.length === 0) {
    tally.passed++;
    console.log(`ok   ${name}`);
  } else {
    tally.failed++;
    console.log(`FAIL ${name}`);
    for (const p of problems) console.log(`       ${p}`);
  }
}

export function note(text) {
  console.log(`note ${text}`);
}

export function results() {
  return { ...tally };
}
