/**
 * Counts the tests that skipped for a missing prerequisite in the output of a uvu run. Such a
 * test prints "skipped: <reason>" and returns, so uvu counts it as passed. uvu writes the suite
 * name and the progress marks of earlier tests on the same line without a newline, so the
 * message rarely starts its line.
 */
export function countPrerequisiteSkips(output: string): number {
  const withoutColours = output.replace(/\x1b\[[0-9;]*m/g, '');
  return withoutColours.split('\n').filter((line) => /(?:^|\s)skipped: /.test(line)).length;
}
