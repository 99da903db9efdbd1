/** Correctness checks shared by the live broadcast scenarios. */
import type { Check } from '../lib/results.ts';
import { formatNumber } from '../lib/table.ts';
import type { LiveRunOutcome } from './live-run.ts';

/**
 * Checks that every client connected and stayed connected, and that all clients received the
 * same batches (equal batch count, post count and digest). With `exactPosts`, also checks that
 * the batches account for every post create the replay sent, delivered or sampled out.
 */
export function deliveryChecks(outcome: LiveRunOutcome, clients: number, exactPosts: boolean): Check[] {
  const { report } = outcome;
  const tally = report.digests[0];
  const checks: Check[] = [
    {
      name: 'every client connected',
      ok: outcome.connected === clients && outcome.connectFailures === 0,
      detail: `${formatNumber(outcome.connected)} of ${formatNumber(clients)} connected, ${outcome.connectFailures} failed${report.errors[0] ? `; first error: ${report.errors[0]}` : ''}`,
    },
    { name: 'no client disconnected', ok: report.disconnects === 0, detail: `${report.disconnects} disconnects` },
    {
      name: 'every client got every batch',
      ok: report.digests.length === 1 && tally !== undefined && tally.clients === outcome.connected && tally.batches > 0,
      detail:
        report.digests.length === 1 && tally
          ? `${formatNumber(tally.clients)} clients each got the same ${formatNumber(tally.batches)} batches with ${formatNumber(tally.posts)} posts`
          : `${report.digests.length} different delivery tallies over clients; most common: ${tally ? `${formatNumber(tally.clients)} clients with ${formatNumber(tally.batches)} batches` : 'none'}`,
    },
  ];
  if (exactPosts) {
    checks.push({
      name: 'batches account for every post sent',
      ok: tally !== undefined && tally.matched === outcome.createsSent,
      detail: `${formatNumber(tally?.matched ?? 0)} posts matched per client for ${formatNumber(outcome.createsSent)} post creates sent; ${formatNumber(tally?.posts ?? 0)} delivered, the rest sampled out by the per-client rate cap`,
    });
  }
  checks.push({
    name: 'every delivered post matched to its send time',
    ok: report.unmatchedPosts === 0,
    detail: `${report.unmatchedPosts} posts arrived without a recorded send time`,
  });
  checks.push({ name: 'no error logged', ok: outcome.errorLines.length === 0, detail: outcome.errorLines[0]?.slice(0, 300) ?? 'none' });
  return checks;
}

/** Describes the CPU each part used during the broadcast, for the notes. */
export function cpuNote(outcome: LiveRunOutcome, pinning: string): string {
  const shares = Object.entries(outcome.cpu.processes)
    .map(([name, percent]) => `${name} ${formatNumber(percent, 0)}%`)
    .join(', ');
  return `${pinning} CPU during the broadcast (100% = one core): ${shares}; machine ${formatNumber(outcome.cpu.machinePercent, 0)}% of 200%, foreign ${formatNumber(outcome.cpu.foreignPercent, 0)}%.`;
}
