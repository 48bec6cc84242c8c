// The lab network: a controller namespace with a bridge at 198.51.100.1 and one namespace per host,
// joined by veth pairs created directly inside the namespaces (nothing in the machine's own
// namespace, so deleting the namespaces removes every link). No namespace has a default route.
import * as fs from 'fs';
import { runChecked, runSync } from './run';

/** TEST-NET-2 (RFC 5737): documentation-only, never routed; the VM's own eth0 is on 192.0.2.0/24. */
export const LAB_PREFIX = '198.51.100';
export const CONTROLLER_ADDRESS = `${LAB_PREFIX}.1`;
export const MAX_HOSTS = 50;
const BRIDGE = 'br0';

export const hostAddress = (index: number): string => `${LAB_PREFIX}.${10 + index}`;
export const controllerNetnsName = (lab: string): string => `${lab}-ctl`;
export const hostNetnsName = (lab: string, host: string): string => `${lab}-${host}`;
/** The controller-side end of a host's veth (interface names are limited to 15 characters). */
const controllerVeth = (host: string): string => `ve-${host}`;

export interface HostLink {
  host: string;
  address: string;
  netns: string;
}

const ip = (args: string[]) => runChecked(['ip', ...args], { timeoutMs: 30_000 });

export async function createNetwork(lab: string, hosts: HostLink[]): Promise<void> {
  const ctl = controllerNetnsName(lab);
  await ip(['netns', 'add', ctl]);
  await ip(['-n', ctl, 'link', 'set', 'lo', 'up']);
  await ip(['-n', ctl, 'link', 'add', BRIDGE, 'type', 'bridge']);
  await ip(['-n', ctl, 'addr', 'add', `${CONTROLLER_ADDRESS}/24`, 'dev', BRIDGE]);
  await ip(['-n', ctl, 'link', 'set', BRIDGE, 'up']);
  for (const h of hosts) {
    await ip(['netns', 'add', h.netns]);
    await ip(['-n', h.netns, 'link', 'set', 'lo', 'up']);
    await ip(['-n', ctl, 'link', 'add', controllerVeth(h.host), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.netns]);
    await ip(['-n', ctl, 'link', 'set', controllerVeth(h.host), 'master', BRIDGE, 'up']);
    await ip(['-n', h.netns, 'addr', 'add', `${h.address}/24`, 'dev', 'eth0']);
    await ip(['-n', h.netns, 'link', 'set', 'eth0', 'up']);
  }
}

/** IPv6 documentation prefix (RFC 3849) of the lab: the controller is ::1, host N is ::1N. */
export const LAB_PREFIX6 = '2001:db8:100:';
export const hostAddress6 = (index: number): string => `${LAB_PREFIX6}:${10 + index}`;

/**
 * Gives the controller's bridge and every host's eth0 an IPv6 address beside the IPv4 one (no DAD:
 * the addresses are usable at once).
 */
export async function addIpv6(lab: string, hosts: HostLink[]): Promise<Record<string, string>> {
  const ctl = controllerNetnsName(lab);
  await ip(['-n', ctl, 'addr', 'add', `${LAB_PREFIX6}:1/64`, 'dev', BRIDGE, 'nodad']);
  const addresses: Record<string, string> = {};
  for (const h of hosts) {
    const index = Number(h.host.replace(/^e/, ''));
    addresses[h.host] = hostAddress6(index);
    await ip(['-n', h.netns, 'addr', 'add', `${addresses[h.host]}/64`, 'dev', 'eth0', 'nodad']);
  }
  return addresses;
}

/** Cuts a host off the bridge (or reconnects it) by taking the controller end of its veth down. */
export async function setHostIsolated(lab: string, host: string, isolated: boolean): Promise<void> {
  await ip(['-n', controllerNetnsName(lab), 'link', 'set', controllerVeth(host), isolated ? 'down' : 'up']);
}

/** Every network namespace whose name starts with `prefix` (from /run/netns, as `ip netns` keeps them). */
export function listNetns(prefix: string): string[] {
  if (!fs.existsSync('/run/netns')) return [];
  return fs
    .readdirSync('/run/netns')
    .filter((n) => n.startsWith(prefix))
    .sort();
}

/** Deletes the lab's namespaces; their veths and the bridge go with them. Returns what it deleted. */
export function removeNetworkSync(lab: string): string[] {
  const removed: string[] = [];
  const ours = new RegExp(`^${lab}-(ctl|e\\d+)$`);
  for (const ns of listNetns(`${lab}-`).filter((n) => ours.test(n))) {
    const r = runSync(['ip', 'netns', 'del', ns]);
    if (r.code === 0) removed.push(`netns ${ns}`);
    else process.stderr.write(`[lab] ip netns del ${ns}: ${r.stderr}`);
  }
  return removed;
}
