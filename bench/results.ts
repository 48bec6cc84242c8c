// The shape of bench/results.json: every raw figure of one `npm run bench`.
import { ChangeMilestones, ChangePhases } from './change-phases';
import { DeployMilestones, FloorMilestones, Phases } from './phases';
import { PlanPhases } from './plan-phases';
import { RestartPhases } from './restart-phases';
import type { WriterCounts } from '../test-doubles/lab/writer';

export type SynthMode = 'compiled' | 'ts-node';

export interface SynthSample {
  readonly case: string;
  readonly members: number;
  readonly mode: SynthMode;
  readonly rep: number;
  readonly ms: number;
  /** Resources in the synthesized cdk.tf.json. */
  readonly resources: number;
}

export interface BuildResult {
  readonly command: string;
  readonly code: number;
  readonly ms: number;
  /** tsc's error lines when the build reported errors (JS is emitted all the same). */
  readonly errors: string[];
}

export interface SynthResults {
  readonly build: BuildResult;
  readonly reps: { compiled: number; tsNode: number };
  readonly samples: SynthSample[];
}

/** How the hosts of a run had been used: booted for this round, or wiped after an earlier run. */
export type HostState = 'new' | 'wiped';

/** The engine that ran a deploy: the Terraform CLI, or OpenTofu built from its Go module. */
export type EngineName = 'terraform' | 'tofu';

export interface DeployRun {
  readonly scenario: string;
  /** Absent in results written before engines were recorded: terraform. */
  readonly engine?: EngineName;
  readonly round: number;
  readonly members: number;
  readonly parallelism: number;
  readonly hosts: HostState;
  /** terraform init, from LabDeployment's init log. */
  readonly initMs: number;
  /** terraform apply, spawn to exit. */
  readonly applyMs: number;
  /** init + apply. */
  readonly totalMs: number;
  /** The machine's busy CPU time during the apply, every core (absent in older results, or off Linux). */
  readonly cpuMs?: number;
  /** Of it, the lab's hosts' (their cgroups: sshd, the scripts, etcd; the artefact server); absent in older results. */
  readonly hostsCpuMs?: number;
  /** init plus the apply phases; they add up to totalMs. */
  readonly phases: Phases;
  readonly milestones: DeployMilestones;
  /** The wall time of the members' private uploads (private-upload.ts); absent in older results. */
  readonly uploadMs?: number;
  readonly log: string;
}

export interface FloorRun {
  readonly scenario: string;
  readonly round: number;
  readonly members: number;
  readonly hosts: HostState;
  readonly totalMs: number;
  /** The machine's busy CPU time during the floor script, every core (absent in older results, or off Linux). */
  readonly cpuMs?: number;
  /** Of it, the lab's hosts' (their cgroups); absent in older results. */
  readonly hostsCpuMs?: number;
  readonly phases: Phases;
  readonly milestones: FloorMilestones;
  readonly log: string;
}

/**
 * One timed `plan -detailed-exitcode` that had to exit 0 (no change): of the deployed cluster
 * ("re-plan 3"), of its PKI alone (its tls_ and local_ resources in a stack of their own), or of
 * the empty stack with the same providers ("empty plan", members 0).
 */
export interface ReplanRun {
  readonly scenario: string;
  readonly round: number;
  readonly members: number;
  readonly code: number;
  /** Spawn to exit. */
  readonly totalMs: number;
  readonly log: string;
  /** Absent in results from before plans were timed line by line. */
  readonly phases?: PlanPhases;
  /** Resources the plan refreshed ("Refreshing state..." lines). */
  readonly refreshed?: number;
}

/**
 * One member's restart floor: over plain SSH to the member of a deployed cluster,
 * `systemctl restart etcd`, then `etcdctl endpoint health --cluster` every 0.1 s until healthy.
 */
export interface RestartFloorRun {
  readonly scenario: string;
  readonly round: number;
  readonly member: string;
  /** Whether the member led the cluster before its restart (its restart then costs an election). */
  readonly wasLeader: boolean;
  /** The SSH session, spawn to exit, as seen from the controller. */
  readonly totalMs: number;
  /** connect = the session's own cost; restart and health as timed on the host. */
  readonly phases: RestartPhases;
  /** Failed health polls before the healthy one. */
  readonly polls: number;
  readonly log: string;
}

/**
 * What the continuous writer saw during a change apply: its counts and longest gap, and when that
 * gap ended and why writes failed where the run recorded them (the writer's own summary takes it).
 */
export type WriterFigures = WriterCounts;

/**
 * One timed `terraform apply` of a spec edit on a deployed cluster: a one-member change, or a
 * rolling operation (renewal, upgrade) that restarts every member one at a time.
 */
export interface ChangeRun {
  readonly scenario: string;
  readonly round: number;
  /** Members in the cluster. */
  readonly members: number;
  /** The members whose etcd restarted (checked: exactly these, by MainPID). */
  readonly restarted: string[];
  /** terraform apply, spawn to exit. */
  readonly applyMs: number;
  /** Back to back; they add up to applyMs. */
  readonly phases: ChangePhases;
  readonly milestones: ChangeMilestones;
  /** The wall time of the re-provisioned members' private uploads (private-upload.ts); absent in older results. */
  readonly uploadMs?: number;
  /** Leader elections during the apply (growth of the raft term); absent in older results. */
  readonly elections?: number;
  /** Absent when no writer ran (the one-member change). */
  readonly writer?: WriterFigures;
  readonly log: string;
}

/**
 * One timed `apply` of the PKI alone (the deployed stack's tls_ and local_ resources, in a stack of
 * their own with the same providers): its first apply, or the same change a change scenario
 * applied to the cluster. What the fixed design asks of Terraform before any SSH step.
 */
export interface PkiApplyRun {
  readonly scenario: string;
  readonly round: number;
  readonly members: number;
  /** `init` of the PKI stack (first apply only). */
  readonly initMs?: number;
  /** apply, spawn to exit. */
  readonly totalMs: number;
  /** Until the first resource was created, replaced or destroyed: loading, refreshing, planning. */
  readonly planMs: number;
  /** The machine's busy CPU time during the apply, every core (absent off Linux). */
  readonly cpuMs?: number;
  /** "N added, N changed, N destroyed" from the engine's summary line. */
  readonly summary: string;
  readonly log: string;
}

export interface LabRound {
  readonly round: number;
  readonly lab: string;
  readonly hosts: number;
  readonly upMs: number;
  readonly downMs: number;
  readonly rootfsMode?: string;
}

export interface LabResults {
  /**
   * Which providers produced the figures, e.g. "hashicorp/tls 4.1.0, hashicorp/local 2.9.0 (built
   * from their Go modules)".
   */
  readonly providers: string;
  readonly rounds: LabRound[];
  readonly deploys: DeployRun[];
  readonly floors: FloorRun[];
  /** Re-plans of the deployed cluster and plans of the empty stack, interleaved. */
  readonly replans: ReplanRun[];
  /** Absent in results from before the restart floor was measured. */
  readonly restarts?: RestartFloorRun[];
  /** Absent in results from before change applies were measured. */
  readonly changes?: ChangeRun[];
  /** Absent in results from before the PKI alone was applied timed. */
  readonly pkiApplies?: PkiApplyRun[];
}

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly terraform: string;
  /** `tofu version` of the toolchain's OpenTofu; absent in older results. */
  readonly tofu?: string;
  readonly loadAverageAtStart: number[];
  readonly loadAverageAtEnd: number[];
}

/** Which code was measured: the commit, and uncommitted changes to what the synth and deploy run. */
export interface SourceInfo {
  readonly commit: string;
  /** `git status --porcelain` lines under src/, main.ts and package.json. */
  readonly uncommitted: string[];
}

export interface BenchResults {
  readonly startedAt: string;
  readonly source: SourceInfo;
  readonly durationMs: number;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly synth: SynthResults;
  readonly lab: LabResults;
}
