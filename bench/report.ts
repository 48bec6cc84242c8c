// results.md: the tables (targets, synth, lab deploys, plans and changes, ratios) in markdown.
// Pure: no I/O.
import { CHANGE_LABEL } from './explain';
import { ChangePhase, ProvisionAround } from './change-phases';
import { BenchResults } from './results';
import { SCENARIOS, UPGRADE_FROM } from './scenarios';
import { Spread } from './stats';
import { failedWhy, OpsRow, PHASE_LABEL, PHASE_ORDER, rollingBound, ScenarioRow, Summary, windowsText } from './summary';

const sec = (ms: number | undefined | null): string => (ms === undefined || ms === null || !Number.isFinite(ms) ? '—' : (ms / 1000).toFixed(2));
const signed = (ms: number): string => `${ms < 0 ? '−' : '+'}${sec(Math.abs(ms))}`;
const times = (r: number): string => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '—');
const cell = (v: Spread | null): string => (v ? `${sec(v.median)} (${v.n > 1 ? `${v.n}: ${sec(v.min)}–${sec(v.max)}` : v.n})` : '—');
const range = (v: Spread): string => (v.n > 1 ? `${sec(v.min)}–${sec(v.max)}` : '—');

export function table(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const rule = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  const line = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), `|${rule.join('|')}|`, ...rows.map(line)].join('\n');
}

function synthTable(summary: Summary): string {
  const empty = summary.synth.find((r) => r.id === 'empty');
  const over = (v: Spread | null, e: Spread | null | undefined): string => (v && e ? signed(v.median - e.median) : '—');
  return table(
    ['stack', 'members', 'resources', 'compiled s (n: range)', 'compiled − empty', 'ts-node s (n: range)', 'ts-node − empty'],
    summary.synth.map((r) => [
      r.id === 'empty' ? 'empty cdktf stack (floor)' : r.id === 'default' ? 'embedded default' : `${r.id} members`,
      String(r.members),
      String(r.resources ?? '—'),
      cell(r.compiled),
      r.id === 'empty' ? '' : over(r.compiled, empty?.compiled),
      cell(r.tsNode),
      r.id === 'empty' ? '' : over(r.tsNode, empty?.tsNode),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

function labTable(summary: Summary): string {
  const floorOf = (r: ScenarioRow): ScenarioRow | undefined =>
    r.kind === 'deploy' && !r.scenario.includes('parallelism') ? summary.scenarios.find((f) => f.kind === 'floor' && f.members === r.members) : undefined;
  return table(
    ['scenario', 'runs', 'median s', 'range s', ...PHASE_ORDER.map((p) => PHASE_LABEL[p]), '× floor', 'CPU s', 'hosts CPU s'],
    summary.scenarios.map((r) => {
      const floor = floorOf(r);
      return [
        r.scenario,
        String(r.total.n),
        sec(r.total.median),
        range(r.total),
        ...PHASE_ORDER.map((p) => sec(r.phases[p])),
        floor ? times(r.total.median / floor.total.median) : '',
        r.cpu ? sec(r.cpu.median) : '—',
        r.hostsCpu ? sec(r.hostsCpu.median) : '—',
      ];
    }),
    ['l', 'r', 'r', 'r', ...PHASE_ORDER.map((): 'r' => 'r'), 'r', 'r', 'r'],
  );
}

const phaseLabel = (r: OpsRow, phase: string): string => (r.kind === 'change' ? CHANGE_LABEL[phase as ChangePhase] : phase);

/** "0.62 before the first restart, 0.21 + 0.25 between restarts (the lock handed on), 0.20 after the last". */
function aroundText(a: ProvisionAround): string {
  const between = a.handoffs.length > 0 ? `, ${a.handoffs.map((ms) => sec(ms)).join(' + ')} between restarts (the lock handed on)` : '';
  return `${sec(a.before)} before the first restart${between}, ${sec(a.after)} after the last`;
}

/** What each row stands against, and what else the run recorded. */
function opsNotes(r: OpsRow, summary: Summary): string {
  const floor = summary.ops.find((o) => o.kind === 'restart-floor');
  const empty = summary.ops.find((o) => o.kind === 'plan' && o.members === 0);
  const notes: string[] = [];
  if (r.kind === 'plan') {
    notes.push(`${r.refreshed ?? '?'} resources refreshed`);
    if (r.members > 0 && empty) notes.push(`${times(r.total.median / empty.total.median)} the empty plan`);
  }
  if (r.kind === 'restart-floor') {
    notes.push(`etcd's own part ${cell(r.etcdPart)}`);
    if (r.byRole?.leader) notes.push(`led before: ${sec(r.byRole.leader.median)} (${r.byRole.leader.n})`);
    if (r.byRole?.follower) notes.push(`did not lead: ${sec(r.byRole.follower.median)} (${r.byRole.follower.n})`);
    const own = r.etcdPartByRole;
    if (own?.leader && own.follower) notes.push(`etcd's own part, led before ${sec(own.leader.median)}, did not lead ${sec(own.follower.median)}`);
  }
  if (r.kind === 'pki-apply' && r.pki) {
    notes.push(r.pki.summary);
    if (r.pki.init) notes.push(`init ${sec(r.pki.init.median)}`);
    if (r.pki.cpu) notes.push(`CPU ${sec(r.pki.cpu.median)}`);
  }
  if (r.kind === 'change') {
    notes.push(r.windows?.length ? `restart windows ${windowsText(r.windows, sec)}` : 'no member restarted');
    if (floor && r.scenario !== SCENARIOS.change1)
      notes.push(`bound ${sec(rollingBound(r.members, floor.total.median))} (${times(r.total.median / rollingBound(r.members, floor.total.median))})`);
    else if (floor) notes.push(`${times(r.total.median / floor.total.median)} the restart floor`);
    if (r.elections) notes.push(`leader elections per run ${r.elections.join(', ')}`);
    if (r.writer) notes.push(`longest write gap ${sec(r.writer.maxGap.max)} (${r.writer.writes} writes, ${r.writer.failures} failed${failedWhy(r.writer)})`);
    if (r.around) notes.push(`provision ${aroundText(r.around)}`);
    if (r.upload !== null) notes.push(`private upload ${sec(r.upload)}`);
  }
  return notes.join('; ');
}

function opsTable(summary: Summary): string {
  return table(
    ['scenario', 'runs', 'median s', 'range s', 'phases of the median run, s', 'notes'],
    summary.ops.map((r) => [
      r.scenario,
      String(r.total.n),
      sec(r.total.median),
      range(r.total),
      r.phaseOrder.map((p) => `${phaseLabel(r, p)} ${sec(r.phases[p])}`).join(' · '),
      opsNotes(r, summary),
    ]),
    ['l', 'r', 'r', 'r', 'l', 'l'],
  );
}

export function renderMarkdown(results: BenchResults, summary: Summary, chartFile: string): string {
  const m = results.machine;
  const src = results.source;
  const out: string[] = [];
  out.push('# Benchmark: synth, lab deploys and changes against their floors', '');
  out.push(
    `\`npm run bench${results.quick ? ' -- --quick' : ''}\` of ${results.startedAt}, ${(results.durationMs / 1000).toFixed(0)} s of measuring, on ` +
      `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, node ${m.node}, terraform ${m.terraform}${m.tofu ? `, OpenTofu ${m.tofu}` : ''}; ` +
      `load average ${m.loadAverageAtStart.map((l) => l.toFixed(1)).join('/')} at the start and ${m.loadAverageAtEnd.map((l) => l.toFixed(1)).join('/')} at the end. ` +
      `Code: ${src.commit}${src.uncommitted.length > 0 ? ` plus ${src.uncommitted.length} uncommitted change(s) (${src.uncommitted.join(', ')})` : ''}.`,
    '',
    'Absolute times vary across machines and with load: compare the ratios, which are measured in the same run. Seconds are medians.',
    '',
  );
  if (results.synth.build.code > 0) {
    out.push(
      `> \`${results.synth.build.command}\` exited ${results.synth.build.code} (tsc emits anyway; the emitted JS was timed): ${results.synth.build.errors.join('; ')}`,
      '',
    );
  }

  out.push('## Targets', '');
  out.push(
    table(
      ['target', 'measured', 'status'],
      summary.targets.map((t) => [t.target, t.measured, t.status === 'met' ? '**met**' : `**${t.status}**`]),
    ),
    '',
  );
  for (const t of summary.targets) out.push(`- **${t.target}** — ${t.note}`);
  out.push('');

  if (summary.synth.length > 0) {
    out.push(
      '## Synth: one fresh process each',
      '',
      `\`node dist/main.js\` after \`npm run build\` (compiled) and \`node -r ts-node/register main.ts\` (what \`npm run synth\` runs, type-checking included), against an empty cdktf stack run the same two ways. Median seconds (runs: range); round-robin over the stacks, ${results.synth.reps.compiled} compiled and ${results.synth.reps.tsNode} ts-node repetitions after one warm-up of each.`,
      '',
      synthTable(summary),
      '',
    );
  }
  if (summary.scenarios.length > 0) {
    const rounds = results.lab.rounds.length;
    out.push(
      '## Lab deploy: first deploys onto fresh hosts',
      '',
      `${rounds} round(s); each boots a fresh 5-host lab and runs every scenario once, wiping the used hosts between scenarios. ` +
        'A deploy is `terraform init` + `terraform apply` (10-way parallelism unless said) until the health-check provisioner passed; ' +
        'the floor is bench/floor.sh: the same tarball, certificates and etcd flags over plain parallel SSH, then `etcdctl endpoint health --cluster` (**floor 3, one host at a time**: the same script, each host after the other, as `-parallelism=1` has to). ' +
        'Phases are those of the median run, in seconds, back to back: plan = until the first resource is created; PKI = until the last tls_/local_ resource; ' +
        'install = until the last member logged "installed etcd"; start = until the last terraform_data but the health check finished (the member provisioners, and the steps that start etcd: bootstrap, join checks, membership records); health = until the health check passed; finish = until terraform exited. CPU = the busy CPU time of the whole machine during the apply (the floor script), every core counted (/proc/stat; median): the lab\'s hosts, their sshd and etcd, terraform and its providers all run on these cores. hosts CPU = the part of it the lab\'s hosts used (their cgroups: systemd, sshd, the scripts and what they run, etcd; the artefact server); the rest is the applying side: terraform and its providers (the floor: its ssh clients).',
      '',
      labTable(summary),
      '',
      `Providers: ${results.lab.providers ?? 'unknown'}, the same for both engines. Engine: Terraform ${m.terraform} for every scenario but "deploy 3 (OpenTofu)", which ran OpenTofu ${m.tofu ?? '(version not recorded)'}.`,
      '',
    );
  }
  if (summary.ops.length > 0) {
    const upgraded = summary.ops.some((r) => r.scenario === SCENARIOS.upgrade);
    out.push(
      '## Lab: plans, restarts and changes on a deployed cluster',
      '',
      "On the 3-member cluster of each round's first deploy, in this order: " +
        '**re-plan 3** (`terraform plan -detailed-exitcode` of the deployed cluster) in turn with **re-plan of its PKI alone** (the same command on a stack holding only the deployed stack\'s tls_ and local_ resources as synthesized, with the same providers, applied beforehand: what the fixed design prescribes before any provisioning resource) and **empty plan** (the same command on a stack with the same required_providers and provider blocks and nothing else, `init` untimed); same provider mirror and environment; all must exit 0; phases: load = until the first "Refreshing state...", refresh = until "No changes.", finish = exit. ' +
        '**PKI alone: first apply** (of the 3-member deploy, of the 5-member one, and of the 3-member one again with `-parallelism=1`): the same PKI stack applied the first time, `init` and `apply` timed, with the busy CPU of the machine; **PKI alone: the one-member change** and **the renewal**: after each of those changes, the PKI of the edited stack applied to the PKI stack (plan = until the first resource is created, replaced or destroyed; apply = the rest): what the fixed design asks of Terraform and the providers for the same edit, before any SSH step. ' +
        "**restart floor**: over plain SSH to one member (each member twice per round, the leader last in each pass), `systemctl restart etcd`, then `etcdctl endpoint health --cluster` with the member's healthcheck-client certificate every 0.1 s until healthy (bench/restart-floor.sh); connect = the SSH session; stop and start = `systemctl restart` as timed on the host, split where systemd saw the old etcd gone; health = until healthy (stop + start + health is etcd's own part); its MainPID must change. " +
        "**one-member change**: an extra SAN on e2's certificates, `terraform apply`; etcd reads its server and peer certificates again at every new connection, so no member may restart (MainPID before/after), and e2 must serve the new ones on its client and peer ports. " +
        `**rolling renewal**: \`pki.certValidityHours: 8000\` re-issues every leaf certificate while a writer puts keys through every member (the e2e day-2 writer); the longest gap between acknowledged writes is reported; no member may restart (each member script sees the renewed certificates served; one that does not see them restarts its member, one at a time), and every member must serve the renewed ones. A rolling upgrade restarts every member, one at a time; a leader restarts last (its members announce their turn), so it should cost one leader election, two when the leader is the first to ask. ` +
        (upgraded
          ? `**rolling upgrade**: a cluster first deployed at etcd ${UPGRADE_FROM} (untimed), then upgraded to the current release, with the writer. `
          : 'The rolling upgrade did not run (`--quick` leaves it out). ') +
        "Change phases, back to back: plan = until the first change; PKI = until the last tls_/local_ resource; provision = the other terraform_data steps outside the restarts; stop = the restart windows (\"restarting\" → \"restarted; cluster healthy\" in the host scripts' output) until systemd saw the old etcd gone (the host's InactiveEnterTimestamp, same monotonic clock); start = then until the new etcd was ready (ActiveEnterTimestamp); gate = the rest of the windows, the scripts' health gate; health = until the health check passed; finish = until terraform exited. Leader elections = how much the raft term grew over the apply (each election raises it by one). Private upload = the wall time of the re-provisioned members' first two SSH sessions, from a member provisioner's first session (its private staging directory) through the file upload to the session that runs its script, overlaps counted once (bench/private-upload.ts; the deploys record it too).",
      '',
      opsTable(summary),
      '',
    );
  }
  if (summary.ratios.length > 0) {
    out.push('## Ratios (same run)', '');
    out.push(
      table(
        ['ratio', 'value', 'what'],
        summary.ratios.map((r) => [r.label, times(r.value), r.detail]),
        ['l', 'r', 'l'],
      ),
      '',
    );
  }
  out.push(`![synth and deploy times](${chartFile})`, '');
  return out.join('\n');
}
