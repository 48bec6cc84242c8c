import { execFileSync } from 'node:child_process';
import { shellAssign, shellCommand, shellQuote } from '../../src/private/shell-quote';
import { terraformLiteral } from '../../src/private/terraform-literal';

const HOSTILE = [
  "it's",
  '$(reboot)',
  '`id`',
  'a b',
  'semi;colon',
  'pipe|x',
  'amp&',
  'new\nline',
  '"double"',
  "'",
  "''",
  '\\',
  '*',
  '~',
  '-rf',
  '${HOME}',
  '!event',
  '',
];

describe('the quoting helper', () => {
  test.each(HOSTILE)('bash reads %j back literally', (value) => {
    const out = execFileSync('bash', ['-c', `printf '%s' ${shellQuote(value)}`]).toString();
    expect(out).toBe(value);
  });

  test('safe words stay bare, everything else is single-quoted', () => {
    expect(shellQuote('/etc/kubernetes/pki/etcd/ca.crt')).toBe('/etc/kubernetes/pki/etcd/ca.crt');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('=x')).toBe("'=x'");
  });

  test('assignments and commands', () => {
    expect(shellAssign('URL', 'https://x/?a=1&b=2')).toBe("URL='https://x/?a=1&b=2'");
    expect(shellCommand(['printf', '%s', "it's"])).toBe("printf %s 'it'\\''s'");
    expect(() => shellAssign('bad-name', 'x')).toThrow(/not a shell variable name/);
    expect(() => shellQuote('nul\0')).toThrow(/NUL/);
  });

  test('Terraform template sequences are escaped in literal text', () => {
    expect(terraformLiteral('echo ${HOME} %{if x}')).toBe('echo $${HOME} %%{if x}');
    expect(terraformLiteral('plain $HOME')).toBe('plain $HOME');
  });
});
