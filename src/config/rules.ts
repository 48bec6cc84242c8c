import { isIP } from 'node:net';

/**
 * A named rule for string values. `pattern` is the JSON Schema form of the same rule (where a
 * regular expression can say it); `test` is authoritative.
 */
export interface StringRule {
  readonly name: string;
  readonly pattern?: string;
  readonly test: (value: string) => boolean;
}

const fromRegex = (name: string, re: RegExp, extra?: (v: string) => boolean): StringRule => ({
  name,
  pattern: re.source,
  test: (v) => re.test(v) && (extra ? extra(v) : true),
});

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function isDnsName(v: string): boolean {
  if (v.length > 253) return false;
  return v.split('.').every((label) => DNS_LABEL.test(label));
}

/** An IPv4 or IPv6 literal without zone index. */
export function isIpAddress(v: string): boolean {
  return !v.includes('%') && isIP(v) !== 0;
}

/** Canonical text of an IP address, so that `fd00::1` and `fd00:0::1` count as duplicates. */
export function canonicalIp(v: string): string {
  if (isIP(v) === 6) return new URL(`http://[${v}]/`).hostname.replace(/^\[|\]$/g, '');
  return v;
}

/** The placeholder a metrics URL may use for the member's own address. */
export const MEMBER_ADDRESS_PLACEHOLDER = '{address}';

/** One `--listen-metrics-urls` entry, taken apart. `host` is unbracketed, or the placeholder. */
export interface MetricsUrl {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
}

const METRICS_URL = /^(https?):\/\/(\{address\}|[0-9.]+|\[[0-9A-Fa-f:.]+\]):([1-9][0-9]{0,4})$/;

/**
 * `http(s)://HOST:PORT` with HOST an IPv4 literal, a bracketed IPv6 literal (no zone) or
 * `{address}`; no path, user or query (etcd listens on the host and port only).
 */
export function parseMetricsUrl(v: string): MetricsUrl | undefined {
  const m = METRICS_URL.exec(v);
  if (!m) return undefined;
  const port = Number(m[3]);
  let host = m[2];
  if (host.startsWith('[')) {
    host = host.slice(1, -1);
    if (isIP(host) !== 6) return undefined;
  } else if (host !== MEMBER_ADDRESS_PLACEHOLDER && isIP(host) !== 4) return undefined;
  if (port > 65535) return undefined;
  return { scheme: m[1] as MetricsUrl['scheme'], host, port };
}

function hasNoDotSegments(v: string): boolean {
  return !v.split('/').some((seg) => seg === '..' || seg === '.');
}

export const RULES = {
  dnsLabel: fromRegex('a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters', DNS_LABEL),
  ipAddress: { name: 'an IPv4 or IPv6 address (no zone index)', test: isIpAddress } as StringRule,
  hostOrIp: { name: 'an IP address or a DNS name', test: (v: string) => isIpAddress(v) || isDnsName(v) } as StringRule,
  absolutePath: fromRegex(
    'an absolute path made of letters, digits, ".", "_", "-" and "/", without "." or ".." segments (no spaces or shell metacharacters)',
    /^\/[A-Za-z0-9._/-]*$/,
    hasNoDotSegments,
  ),
  relativeDir: fromRegex(
    'a relative path made of letters, digits, ".", "_", "-" and "/", without "." or ".." segments',
    /^[A-Za-z0-9_-][A-Za-z0-9._/-]*$/,
    (v) => hasNoDotSegments(v) && !v.endsWith('/'),
  ),
  relativeFile: fromRegex(
    'a relative file path made of letters, digits, ".", "_", "-" and "/" (".." allowed)',
    /^[A-Za-z0-9._-][A-Za-z0-9._/-]*$/,
    (v) => !v.endsWith('/'),
  ),
  keyFile: fromRegex(
    'a file path (absolute, relative, or starting with "~/") made of letters, digits, ".", "_", "-" and "/"',
    /^(~\/)?[A-Za-z0-9._/-]+$/,
    (v) => !v.endsWith('/'),
  ),
  semver: fromRegex('a release version like 3.6.14 (no leading "v")', /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.]+)?$/),
  sha256: fromRegex('64 lower-case hexadecimal characters (a sha256 digest)', /^[a-f0-9]{64}$/),
  downloadUrl: fromRegex(
    'an http(s) URL without quotes, spaces, "$", "`", ";", "|", "\\", "<" or ">"; "{version}" and "{arch}" are replaced',
    /^https?:\/\/[A-Za-z0-9._~:/?#@!&+,=%[\]{}-]+$/,
    (v) => v.replace(/\{version\}|\{arch\}/g, '').match(/[{}]/) === null,
  ),
  token: fromRegex('1–64 letters, digits, ".", "_" or "-", starting with a letter or digit', /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  unitName: fromRegex('a systemd unit base name: lower-case letters, digits, "_" and "-"', /^[a-z0-9][a-z0-9_-]{0,63}$/),
  posixUser: fromRegex('a POSIX user name: lower-case letters, digits, "_" and "-", starting with a letter or "_"', /^[a-z_][a-z0-9_-]{0,31}$/),
  duration: fromRegex('a Terraform duration such as "30s", "5m" or "1h30m"', /^(?=[0-9])([0-9]+h)?([0-9]+m)?([0-9]+s)?$/),
  sshHostKey: fromRegex(
    'an SSH public key line "TYPE BASE64" (ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521)',
    /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) [A-Za-z0-9+/]+={0,3}$/,
  ),
  onCalendar: fromRegex(
    'a systemd OnCalendar expression such as "hourly" or "*-*-* 02:00:00" (letters, digits, space and * : / . , ~ -)',
    /^[A-Za-z0-9*:/.,~ -]{1,64}$/,
  ),
  compactionRetention: fromRegex('"0", a number, or a duration such as "1h" or "30m"', /^(0|[1-9][0-9]{0,8}|[1-9][0-9]{0,5}(ms|s|m|h))$/),
  goDuration: fromRegex('a duration such as "0s", "30s", "5m" or "1h"', /^(0|[0-9]{1,6}(ms|s|m|h))$/),
  etcdFlag: fromRegex(
    'an etcd flag "--name=value" or "--name" (lower-case name; value without spaces, quotes or shell metacharacters)',
    /^--[a-z0-9][a-z0-9-]{0,62}(=[A-Za-z0-9._:/,=@%+-]{0,512})?$/,
  ),
  tfName: fromRegex('letters, digits, "_" and "-"', /^[A-Za-z0-9_-]{1,90}$/),
  s3Bucket: fromRegex('an S3 bucket name: 3–63 lower-case letters, digits, "." and "-"', /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
  awsRegion: fromRegex('a region name such as eu-west-1', /^[a-z0-9-]{2,32}$/),
  metricsUrl: {
    name: 'a listen URL "http(s)://HOST:PORT": HOST an IPv4 address, an IPv6 address in brackets, or {address} (the member\'s address); no path',
    pattern: METRICS_URL.source,
    test: (v: string) => parseMetricsUrl(v) !== undefined,
  } as StringRule,
  httpsUrl: fromRegex('an http(s) URL without quotes, spaces or shell metacharacters', /^https?:\/\/[A-Za-z0-9._~:/?#@!&+,=%[\]-]+$/),
} satisfies Record<string, StringRule>;
