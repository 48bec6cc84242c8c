/** The cdktf-cli the toolchain installs is the release of the cdktf library this repository pins. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CDKTF_CLI_VERSION, CDKTF_OFFLINE_ENV } from '../../toolchain/cdktf-cli';

test('cdktf-cli is the same release as the cdktf library (devDependency and peerDependency)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  expect(pkg.devDependencies.cdktf).toBe(CDKTF_CLI_VERSION);
  expect(pkg.peerDependencies.cdktf).toBe(CDKTF_CLI_VERSION);
});

test('the README installs that release, and the offline environment disables the checkpoint calls', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  expect(readme).toContain(`npm i -g cdktf-cli@${CDKTF_CLI_VERSION}`);
  expect(readme).toContain('CHECKPOINT_DISABLE=1');
  expect(CDKTF_OFFLINE_ENV).toEqual({ CHECKPOINT_DISABLE: '1' });
});
