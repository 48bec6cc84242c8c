/**
 * The host scripts (scripts/*.sh), shipped with the package as real files and written onto the
 * hosts byte for byte: static across members and clusters (every per-member value is in params.env).
 * ssh-step.sh is the one that runs on the applying machine (destroy-time steps, over OpenSSH).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const HOST_SCRIPTS = ['lib.sh', 'provision.sh', 'etcd-ops.sh', 'health.sh', 'ssh-step.sh'] as const;
export type HostScript = (typeof HOST_SCRIPTS)[number];

/** The scripts the members run: every host script but ssh-step.sh. */
export const MEMBER_SCRIPTS: readonly HostScript[] = HOST_SCRIPTS.filter((name) => name !== 'ssh-step.sh');

/** The directory of the scripts: next to this module, in the sources and in the built package. */
export const HOST_SCRIPTS_DIR = path.join(__dirname, 'scripts');

const cache = new Map<HostScript, string>();

/** The text of a host script, read once. */
export function hostScript(name: HostScript): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(HOST_SCRIPTS_DIR, name), 'utf8');
    cache.set(name, text);
  }
  return text;
}
