import { isIP } from 'node:net';

/** An address as the host part of a URL: brackets around an IPv6 literal. */
export const urlHost = (address: string): string => (isIP(address) === 6 ? `[${address}]` : address);

/** `host:port`, with brackets around an IPv6 literal. */
export function hostPort(address: string, port: number): string {
  return `${urlHost(address)}:${port}`;
}

export const httpsUrl = (address: string, port: number) => `https://${hostPort(address, port)}`;
