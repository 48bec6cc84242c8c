import { isIP } from 'node:net';

/** `host:port`, with brackets around an IPv6 literal. */
export function hostPort(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

export const httpsUrl = (address: string, port: number) => `https://${hostPort(address, port)}`;
