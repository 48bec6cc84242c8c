import { synthFromEnvironment } from './src/cli/synth';

// Synthesizes stack `etcd` from the spec named by ETCD_CLUSTER_SPEC (JSON or YAML), else from the
// embedded default. The spec is validated before anything is written: a bad spec exits 1.
const result = synthFromEnvironment();
result.stdout.forEach((line) => console.log(line));
result.stderr.forEach((line) => console.error(line));
process.exitCode = result.exitCode;
