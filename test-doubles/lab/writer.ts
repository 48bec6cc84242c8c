// A continuous writer against a lab deployment: the measure of availability during a rolling
// change, shared by the e2e scenarios (__tests__/e2e/support.ts re-exports it) and the benchmark.
import { LabDeployment } from './deploy';

export interface WriterReport {
  writes: number;
  failures: number;
  /** Longest time between two successful writes (or from the start to the first), in ms. */
  maxGapMs: number;
  lastKey: number;
  /** The numbers n of the keys `/writer/<n>` whose put was acknowledged. */
  acked: number[];
}

/**
 * Writes `/writer/<n>` continuously through the given endpoints (the client balancer fails over)
 * until stopped: the measure of availability during a rolling change.
 */
export function startWriter(d: LabDeployment, endpoints: string[]): { stop: () => Promise<WriterReport> } {
  let stopped = false;
  const report: WriterReport = { writes: 0, failures: 0, maxGapMs: 0, lastKey: 0, acked: [] };
  let last = Date.now();
  const loop = (async () => {
    for (let n = 1; !stopped; n++) {
      const r = await d.etcdctl(['put', `/writer/${String(n).padStart(6, '0')}`, `w${n}`], endpoints);
      const now = Date.now();
      if (r.code === 0) {
        report.writes++;
        report.lastKey = n;
        report.acked.push(n);
        report.maxGapMs = Math.max(report.maxGapMs, now - last);
        last = now;
      } else {
        report.failures++;
      }
      await new Promise((res) => setTimeout(res, 50));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      report.maxGapMs = Math.max(report.maxGapMs, Date.now() - last);
      return report;
    },
  };
}
