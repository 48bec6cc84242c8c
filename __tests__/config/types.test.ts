/**
 * The TypeScript types of the spec are generated from the same descriptor as the validator, the
 * defaults and the JSON Schema, so they cannot drift: the committed file must be what the
 * descriptor generates, and every optional prop documents its default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTypes } from '../../src/config/typescript';

const committed = readFileSync(join(__dirname, '..', '..', 'src', 'config', 'types.ts'), 'utf8');

describe('src/config/types.ts', () => {
  test('is what the descriptor generates (run `npm run schema` after changing src/config/schema.ts)', () => {
    expect(committed).toBe(generateTypes());
  });

  test('every optional prop of the spec types carries a @default', () => {
    const specPart = committed.slice(0, committed.indexOf('export interface ResolvedClusterSpec'));
    const optional = [...specPart.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\n\s+readonly ("?[$\w]+"?)\?:/g)];
    expect(optional.length).toBeGreaterThan(40);
    expect(optional.filter(([, docText]) => !docText.includes('@default')).map(([, , name]) => name)).toEqual([]);
  });

  test('resolved types make every defaulted field required', () => {
    const resolved = committed.slice(committed.indexOf('export interface ResolvedClusterSpec'));
    const etcd = resolved.slice(resolved.indexOf('export interface ResolvedEtcdSpec'), resolved.indexOf('export interface ResolvedPkiSpec'));
    // clusterToken may stay unset (the cluster identity's id stands in, unique per cluster), and
    // localTarball (unset: each host downloads the release).
    expect([...etcd.matchAll(/readonly (\w+)\?:/g)].map((m) => m[1]).sort()).toEqual(['clusterToken', 'localTarball']);
    const member = resolved.slice(resolved.indexOf('export interface ResolvedMemberSpec'), resolved.indexOf('export interface ResolvedSshSpec'));
    expect([...member.matchAll(/readonly (\w+)\?:/g)].map((m) => m[1])).toEqual(['hostKey']);
  });
});
