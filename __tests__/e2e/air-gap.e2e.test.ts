/**
 * Air-gapped hosts: the release tarball goes up from the applying machine (etcd.localTarball)
 * instead of each host downloading it; its sha256 is checked by the plan before anything runs, and
 * again on each host before it is installed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeLab, etcdVersionOn, expectTerraformOk, labWithDeployment, log, onHost, waitClusterHealthy } from './support';

jest.setTimeout(10 * 60_000);

describeLab('air-gapped hosts', () => {
  test('the release is uploaded from the applying machine: no host downloads; a file that is not the release stops the plan', async () => {
    const { lab, deployment: d } = await labWithDeployment(3);
    try {
      const release = await lab.publishEtcdRelease();
      // No mirror the hosts could reach: a closed port on the controller.
      const offline = { ...d.spec.etcd, downloadUrl: 'http://198.51.100.1:9/etcd-v{version}-linux-{arch}.tar.gz' };

      const wrong = path.join(lab.stateDir, 'not-the-release.tar.gz');
      fs.writeFileSync(wrong, 'a file that is not the release');
      d.synth({ ...d.spec, etcd: { ...offline, localTarball: wrong } });
      const refused = await d.plan();
      expect(refused.code).toBe(1);
      expect(refused.stderr.replace(/\s+/g, ' ')).toContain(
        `etcd.localTarball ${wrong} is not the release the spec names: its sha256 must be ${release.sha256}`,
      );
      for (const h of ['e1', 'e2', 'e3']) expect(await onHost(lab, h, 'test -e /usr/local/bin/etcd && echo installed || echo absent')).toBe('absent');

      d.synth({ ...d.spec, etcd: { ...offline, localTarball: release.file } });
      const applied = await d.apply();
      expectTerraformOk(applied, 'apply with the release uploaded');
      log(`[air-gap] apply with the release uploaded to 3 hosts: ${applied.ms} ms`);
      expect(applied.stdout.match(/installing from the tarball uploaded from the applying machine/g)).toHaveLength(3);
      expect(applied.stdout).not.toMatch(/downloading http/);
      await waitClusterHealthy(d);
      for (const h of ['e1', 'e2', 'e3']) {
        expect(await etcdVersionOn(lab, h)).toBe(`etcd Version: ${release.version}`);
        // Nothing of the upload stays: the staging dir goes, the tarball with it.
        expect(await onHost(lab, h, 'find / -xdev -name etcd-release.tar.gz -print 2>/dev/null | head -n 1')).toBe('');
      }
      const again = await d.plan();
      expect(again.code).toBe(0);
    } finally {
      await lab.down();
    }
  });
});
