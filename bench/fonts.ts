// The font resvg draws the chart's text with. resvg has no fonts of its own, and system fonts are
// not loaded (the PNG must not depend on what else is installed): one explicit TTF file.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

export const FONT_FAMILY = 'DejaVu Sans';
export const FONT_PACKAGE = 'fonts-dejavu-core';
const CANDIDATES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans.ttf'];

function found(): string | undefined {
  const file = CANDIDATES.find((f) => fs.existsSync(f));
  if (file) return file;
  try {
    const matched = execFileSync('fc-match', ['-f', '%{file}', FONT_FAMILY], { encoding: 'utf8' }).trim();
    return /DejaVuSans\.ttf$/.test(matched) && fs.existsSync(matched) ? matched : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The DejaVu Sans file. When it is missing, root on Debian installs it with apt-get (as .ci/run
 * and the lab's prerequisites do for their packages); anywhere else it is an error naming the package.
 */
export function chartFontFile(log: (s: string) => void): string {
  const file = found();
  if (file) return file;
  const root = process.getuid?.() === 0;
  const apt = fs.existsSync('/usr/bin/apt-get');
  if (!root || !apt)
    throw new Error(`the chart needs the ${FONT_FAMILY} font: install the Debian package ${FONT_PACKAGE} (or your distribution's DejaVu fonts)`);
  log(`[bench] installing ${FONT_PACKAGE} (the chart's font) with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', FONT_PACKAGE], { stdio: 'inherit', env });
  const installed = found();
  if (!installed) throw new Error(`${FONT_PACKAGE} is installed but no DejaVuSans.ttf was found in ${CANDIDATES.join(', ')}`);
  return installed;
}
