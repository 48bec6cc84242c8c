import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heredocWrite } from '../../src/private/heredoc';

describe('heredocWrite', () => {
  test('sh writes exactly the text: quotes, $, backslashes, tabs and backticks arrive untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heredoc-'));
    const text = "A='it''s' $HOME ${X:-y} `date` \\\n\ttab\\\n\n# last\n";
    // The command as Terraform would leave it: this text has no Terraform template in it.
    execFileSync('sh', ['-c', heredocWrite('out file.txt', text, 'THE_END')], { cwd: dir });
    expect(readFileSync(join(dir, 'out file.txt'), 'utf8')).toBe(text);
  });

  test('the path is quoted and Terraform-escaped; the body is left as given', () => {
    expect(heredocWrite('a b/${x}', 'v=${terraform_data.c.id}\n', 'END')).toBe("cat >'a b/$${x}' <<'END'\nv=${terraform_data.c.id}\nEND");
  });

  test.each([
    ['no trailing newline', 'x', 'END', /must end with a newline/],
    ['a line that is the delimiter', 'a\nEND\nb\n', 'END', /holds the line END/],
    ['a delimiter that the shell would expand or split', 'a\n', 'E N', /not a heredoc delimiter/],
  ])('refuses %s', (_what, body, end, message) => {
    expect(() => heredocWrite('f', body, end)).toThrow(message);
  });
});
