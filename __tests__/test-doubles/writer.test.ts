// The continuous writer's arithmetic (test-doubles/lab/writer.ts): the longest gap between
// acknowledged writes, and where it ended, from the client's lines.
import { WriteLog, writerSummary } from '../../test-doubles/lab/writer';

const fed = (lines: string[]): WriteLog => {
  const log = new WriteLog();
  for (const l of lines) log.take(l);
  return log;
};

describe('WriteLog', () => {
  test('the longest gap between acknowledged writes, and when it ended', () => {
    const r = fed(['ready 1000', 'ok 1 1050', 'ok 2 1100', 'fail 3 1900 https://e1:2379: HTTP 503: no leader', 'ok 4 2000', 'ok 5 2050']).finish(2060);
    expect(r).toMatchObject({ writes: 4, failures: 1, maxGapMs: 900, maxGapEndAt: 2000, lastKey: 5, acked: [1, 2, 4, 5] });
    expect(r.failureReasons).toEqual(['1970-01-01T00:00:01.900Z https://e1:2379: HTTP 503: no leader']);
  });

  test('no write acknowledged since the last one counts until the stop', () => {
    expect(fed(['ready 1000', 'ok 1 1050']).finish(3050)).toMatchObject({ maxGapMs: 2000, maxGapEndAt: 3050 });
  });

  test('a write pending at the stop that then timed out counts until its failure, not just until the stop', () => {
    const r = fed(['ready 1000', 'ok 1 1050', 'fail 2 6050 https://e1:2379: no answer in 5000 ms']).finish(2900);
    expect(r).toMatchObject({ writes: 1, failures: 1, maxGapMs: 5000, maxGapEndAt: 6050 });
  });

  test('a write pending at the stop that then succeeded closes the gap at its answer', () => {
    expect(fed(['ready 1000', 'ok 1 1050', 'ok 2 3300']).finish(2900)).toMatchObject({ maxGapMs: 2250, maxGapEndAt: 3300 });
  });

  test('failure reasons are kept up to 20', () => {
    const lines = ['ready 0', ...Array.from({ length: 25 }, (_, i) => `fail ${i + 1} ${i + 1} e: x`)];
    expect(fed(lines).finish(30).failureReasons).toHaveLength(20);
  });

  test("the log line names the gap's end and why writes failed", () => {
    const r = fed(['ready 1000', 'ok 1 1050', 'fail 2 6050 https://e1:2379: no answer in 5000 ms']).finish(2900);
    expect(writerSummary(r)).toBe(
      'writes 1, failures 1, longest write gap 5000 ms (ended 1970-01-01T00:00:06.050Z); failed: 1970-01-01T00:00:06.050Z https://e1:2379: no answer in 5000 ms',
    );
    expect(writerSummary(fed(['ready 1000', 'ok 1 1050']).finish(1060))).toBe('writes 1, failures 0, longest write gap 50 ms (ended 1970-01-01T00:00:01.050Z)');
  });
});
