// OpenTofu built from its Go module (the latest stable release), for the lab's second engine.
// Its go.mod has a `replace` directive, so `go install …@version` refuses it: the module is
// downloaded with `go mod download` and built inside its own directory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOnce, cacheDir } from './cache';
import { goChecked, goVersion } from './go';

export const OPENTOFU_MODULE = 'github.com/opentofu/opentofu';
/** Latest stable OpenTofu release served by the Go module proxy when this was pinned. */
export const OPENTOFU_VERSION = '1.12.6';

export interface Tofu {
  readonly binary: string;
  readonly version: string;
}

/** Builds (or reuses) `tofu` and returns its path. */
export async function ensureTofu(log: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<Tofu> {
  const key = `${OPENTOFU_VERSION}-${(await goVersion()).replace(/^go/, 'go')}`;
  const dir = await buildOnce(
    path.join(cacheDir('tofu'), key),
    async (tmp) => {
      const started = Date.now();
      log(`[toolchain] go mod download ${OPENTOFU_MODULE}@v${OPENTOFU_VERSION}`);
      const info = JSON.parse((await goChecked(['mod', 'download', '-json', `${OPENTOFU_MODULE}@v${OPENTOFU_VERSION}`])).stdout) as { Dir: string };
      log(`[toolchain] go build ./cmd/tofu in ${info.Dir} (a few minutes the first time)`);
      // version.dev=no: report "1.12.6", as release builds do, instead of "1.12.6-dev".
      await goChecked(['build', '-trimpath', '-ldflags', `-s -w -X ${OPENTOFU_MODULE}/version.dev=no`, '-o', path.join(tmp, 'tofu'), './cmd/tofu'], {
        cwd: info.Dir,
      });
      log(`[toolchain] tofu ${OPENTOFU_VERSION} built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    },
    log,
  );
  const binary = path.join(dir, 'tofu');
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing: delete ${dir} and build again`);
  return { binary, version: OPENTOFU_VERSION };
}
