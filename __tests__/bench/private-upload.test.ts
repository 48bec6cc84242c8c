import { privateUploadMs, privateUploads, unionMs } from '../../bench/private-upload';
import { TimedLine } from '../../bench/timed-process';

const lines = (...rows: Array<[number, string]>): TimedLine[] => rows.map(([t, text]) => ({ t, stream: 'stdout', text }));
const prov = (res: string, kind: 'remote-exec' | 'file'): string => `terraform_data.${res}: Provisioning with '${kind}'...`;

describe('the union of intervals', () => {
  it('counts overlapping time once and gaps not at all', () => {
    expect(unionMs([])).toBe(0);
    expect(unionMs([[0, 100]])).toBe(100);
    expect(
      unionMs([
        [50, 150],
        [0, 100],
        [300, 400],
      ]),
    ).toBe(250);
    expect(
      unionMs([
        [0, 100],
        [100, 200],
        [10, 20],
      ]),
    ).toBe(200);
  });
});

describe("the members' private uploads", () => {
  it('spans each member provisioner from its first session through the upload to the session of its script', () => {
    const out = lines(
      [1000, prov('etcd_member_e1', 'remote-exec')],
      [1005, 'terraform_data.etcd_member_e1 (remote-exec): Connecting to remote host via SSH...'],
      [1010, prov('etcd_member_e2', 'remote-exec')],
      [1100, prov('etcd_member_e1', 'file')],
      [1120, prov('etcd_member_e2', 'file')],
      [1210, prov('etcd_member_e1', 'remote-exec')],
      [1230, prov('etcd_member_e2', 'remote-exec')],
      // The join steps and the bootstrap upload nothing: not counted.
      [2000, prov('etcd_bootstrap', 'remote-exec')],
      [2100, prov('etcd_member_e1_join', 'remote-exec')],
      [2200, prov('etcd_member_e2_join', 'remote-exec')],
    );
    expect(privateUploads(out)).toEqual([
      { member: 'e1', from: 1000, to: 1210 },
      { member: 'e2', from: 1010, to: 1230 },
    ]);
    // Side by side: their union.
    expect(privateUploadMs(out)).toBe(230);
  });

  it('adds them up when the members go one after another (-parallelism=1), and counts a second file upload in', () => {
    const out = lines(
      [0, prov('etcd_member_a', 'remote-exec')],
      [100, prov('etcd_member_a', 'file')],
      [150, prov('etcd_member_a', 'file')],
      [200, prov('etcd_member_a', 'remote-exec')],
      [1200, prov('etcd_member_b', 'remote-exec')],
      [1300, prov('etcd_member_b', 'file')],
      [1410, prov('etcd_member_b', 'remote-exec')],
    );
    expect(privateUploadMs(out)).toBe(410);
  });

  it('counts only the members that went the whole way, under the stack prefix asked for', () => {
    const out = lines(
      [0, prov('etcd_member_a', 'remote-exec')],
      [100, prov('etcd_member_a', 'file')],
      [300, prov('prod_member_b', 'remote-exec')],
      [400, prov('prod_member_b', 'file')],
      [450, prov('prod_member_b', 'remote-exec')],
    );
    expect(privateUploadMs(out)).toBeNull();
    expect(privateUploadMs(out, 'prod')).toBe(150);
  });
});
