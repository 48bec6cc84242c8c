// The lab's cgroup walk while a guest's systemd removes cgroups under it (a host shutting down).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pidsBelow } from '../../test-doubles/lab/cgroups';

/** What the next readdirSync of a directory does instead of reading it: vanish first, or fail. */
const mockReaddir: { vanish?: string; failWith?: string } = {};
jest.mock('fs', () => {
  const actual = jest.requireActual<typeof import('fs')>('fs');
  return {
    ...actual,
    readdirSync: (dir: string, opts?: unknown) => {
      if (mockReaddir.failWith) throw Object.assign(new Error(`${mockReaddir.failWith}: scandir '${dir}'`), { code: mockReaddir.failWith });
      if (String(dir) === mockReaddir.vanish) actual.rmSync(dir, { recursive: true });
      return (actual.readdirSync as (d: string, o?: unknown) => unknown)(dir, opts);
    },
  };
});

function tree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgroups-'));
  const cgroup = (rel: string, pids: number[]) => {
    fs.mkdirSync(path.join(root, rel), { recursive: true });
    fs.writeFileSync(path.join(root, rel, 'cgroup.procs'), pids.map((p) => `${p}\n`).join(''));
  };
  cgroup('.', [1]);
  cgroup('system.slice', [2]);
  cgroup('system.slice/tmp.mount', []);
  cgroup('system.slice/etcd.service', [3, 4]);
  return root;
}

describe('pidsBelow', () => {
  afterEach(() => {
    delete mockReaddir.vanish;
    delete mockReaddir.failWith;
  });

  it('gathers the processes of a cgroup and of every cgroup below it', () => {
    expect(pidsBelow(tree()).sort()).toEqual([1, 2, 3, 4]);
  });

  it('is empty for a cgroup that is not there', () => {
    expect(pidsBelow(path.join(tree(), 'gone'))).toEqual([]);
  });

  it('skips a cgroup removed after its parent was listed (systemd stopping a unit meanwhile)', () => {
    const root = tree();
    mockReaddir.vanish = path.join(root, 'system.slice', 'tmp.mount');
    expect(pidsBelow(root).sort()).toEqual([1, 2, 3, 4]);
    expect(fs.existsSync(mockReaddir.vanish)).toBe(false);
  });

  it('still reports other errors', () => {
    const root = tree();
    mockReaddir.failWith = 'EACCES';
    expect(() => pidsBelow(root)).toThrow('EACCES');
  });
});
