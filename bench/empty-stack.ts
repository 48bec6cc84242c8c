// The synth floor: a cdktf app with one TerraformStack holding nothing (no provider, no resource).
// Run like main.ts: compiled (node dist/bench/empty-stack.js) or with ts-node; writes into
// CDKTF_OUTDIR (or ./cdktf.out).
import { App, TerraformStack } from 'cdktf';

const app = new App();
new TerraformStack(app, 'empty');
app.synth();
