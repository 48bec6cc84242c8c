/**
 * A YAML spec's text to data. The `yaml` package is loaded on first use: loading it costs about
 * 15 ms, which a synth from a JSON spec or from the embedded default does not pay.
 */
import type * as Yaml from 'yaml';

/** Strict parsing (yaml's `strict`); a duplicate key is an error. */
export function parseYaml(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred load (see above)
  const yaml = require('yaml') as typeof Yaml;
  return yaml.parse(text, { strict: true, uniqueKeys: true });
}
