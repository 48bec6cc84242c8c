// The private upload before each member's script, from the timestamped lines of `terraform apply
// -no-color`: a member's provisioner opens one SSH session to make its private staging dir (0700),
// a second for the file upload into it, and only the third runs the script. Terraform's scp
// creates directories 0755 and files 0644 and makes every script 0777, so private keys can only
// travel into a directory made private by an earlier session: those two sessions are what any
// provisioner of Terraform's needs before a script can use a member's keys. Pure: no I/O.
import { TimedLine } from './timed-process';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Total length of the union of intervals (ms): what they take of the wall time, overlaps once. */
export function unionMs(intervals: ReadonlyArray<readonly [number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let open: [number, number] | null = null;
  for (const [from, to] of sorted) {
    if (open && from <= open[1]) {
      open[1] = Math.max(open[1], to);
      continue;
    }
    if (open) total += open[1] - open[0];
    open = [from, to];
  }
  if (open) total += open[1] - open[0];
  return total;
}

/**
 * Each member provisioner's private upload: from its first "Provisioning with 'remote-exec'"
 * (the private staging dir) through its "Provisioning with 'file'" lines to the next
 * "Provisioning with 'remote-exec'" (the script's session begins). Only resources that went that
 * whole way count (join steps and the bootstrap have no file upload). In the order they began.
 */
export function privateUploads(lines: readonly TimedLine[], prefix = 'etcd'): Array<{ member: string; from: number; to: number }> {
  const re = new RegExp(`^terraform_data\\.${escape(prefix)}_member_([\\w-]+): Provisioning with '(remote-exec|file)'\\.\\.\\.$`);
  const state = new Map<string, { from: number; uploaded: boolean; done: boolean }>();
  const out: Array<{ member: string; from: number; to: number }> = [];
  for (const l of lines) {
    const m = re.exec(l.text);
    if (!m) continue;
    const [, member, kind] = m;
    const s = state.get(member);
    if (!s || s.done) {
      if (kind === 'remote-exec') state.set(member, { from: l.t, uploaded: false, done: false });
      continue;
    }
    if (kind === 'file') s.uploaded = true;
    else if (s.uploaded) {
      out.push({ member, from: s.from, to: l.t });
      s.done = true;
    } else s.from = l.t;
  }
  return out.sort((a, b) => a.from - b.from);
}

/** The wall time the members' private uploads took (their union, ms); null when none went the whole way. */
export function privateUploadMs(lines: readonly TimedLine[], prefix = 'etcd'): number | null {
  const uploads = privateUploads(lines, prefix);
  return uploads.length > 0 ? unionMs(uploads.map((u) => [u.from, u.to] as const)) : null;
}
