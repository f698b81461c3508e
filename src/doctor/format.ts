/**
 * The doctor's report as a readable checklist: ✓ ok, ! warning, ✗ failure, – skipped, with the
 * fix under each warning and failure.
 */
import type { CheckStatus, DoctorReport } from './types.js';

const MARKS: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗', skipped: '–' };

export function formatReport(r: DoctorReport): string {
  const via = r.target.kind === 'connection' ? `integration "${r.target.integration}", ` : '';
  const lines = [`forcebridge doctor: ${r.target.kind} "${r.target.name}" (${via}${r.target.flow} flow)`, ''];
  for (const c of r.results) {
    lines.push(`${MARKS[c.status]} ${c.title}: ${c.detail}`);
    if (c.fix && (c.status === 'fail' || c.status === 'warn')) lines.push(`    fix: ${c.fix}`);
  }
  const failed = r.results.filter((c) => c.status === 'fail').length;
  const warned = r.results.filter((c) => c.status === 'warn').length;
  lines.push(
    '',
    failed
      ? `${failed} check${failed === 1 ? '' : 's'} failed${warned ? `, ${warned} warning${warned === 1 ? '' : 's'}` : ''}`
      : warned
        ? `all checks passed, ${warned} warning${warned === 1 ? '' : 's'}`
        : 'all checks passed',
  );
  return lines.join('\n');
}
