/**
 * The folders of src/ follow the data flow and import only downward along it: a file may import
 * from its own folder or from a folder earlier in FLOW, never from a later one, so no folder can
 * import a folder that imports it back. Nothing in src/ imports the tests, the lab or the tooling.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '..', 'src');

/** The data flow, upstream first. `.` is src/ itself (the constructs users compose), `cli` the entry. */
const FLOW = ['private', 'config', 'host', 'identity', 'pki', 'files', 'provisioning', 'health', 'outputs', '.', 'cli'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const folderOf = (file: string): string => {
  const rel = relative(SRC, dirname(file));
  return rel === '' ? '.' : rel.split('/')[0];
};

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly file: string;
  readonly spec: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from\s+|require\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), m[1]);
      out.push({
        from: folderOf(file),
        to: relative(SRC, target).startsWith('..') ? `outside:${relative(SRC, target)}` : folderOf(`${target}.ts`),
        file: relative(SRC, file),
        spec: m[1],
      });
    }
  }
  return out;
}

describe('the shape of src/', () => {
  const all = edges();

  test('every folder is a step of the data flow', () => {
    const folders = [...new Set(sources(SRC).map(folderOf))].sort();
    expect(folders.filter((f) => !FLOW.includes(f))).toEqual([]);
    expect(all.length).toBeGreaterThan(50);
  });

  test('folders import only from themselves or from folders upstream', () => {
    const upward = all.filter((e) => !e.to.startsWith('outside:') && FLOW.indexOf(e.to) > FLOW.indexOf(e.from));
    expect(upward.map((e) => `${e.file} imports ${e.spec} (${e.from} -> ${e.to})`)).toEqual([]);
  });

  test('nothing in src/ reaches outside it (tests, lab, toolchain, bench)', () => {
    expect(all.filter((e) => e.to.startsWith('outside:')).map((e) => `${e.file} imports ${e.spec}`)).toEqual([]);
  });

  test('the check itself notices an upward import', () => {
    const fake: Edge = { from: 'config', to: 'host', file: 'config/x.ts', spec: '../host/layout' };
    expect(FLOW.indexOf(fake.to) > FLOW.indexOf(fake.from)).toBe(true);
  });
});
