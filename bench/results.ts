// The shape of bench/results.json: every raw figure of one `npm run bench`.
import { DeployMilestones, FloorMilestones, Phases } from './phases';

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
  /** init plus the apply phases; they add up to totalMs. */
  readonly phases: Phases;
  readonly milestones: DeployMilestones;
  readonly log: string;
}

export interface FloorRun {
  readonly scenario: string;
  readonly round: number;
  readonly members: number;
  readonly hosts: HostState;
  readonly totalMs: number;
  readonly phases: Phases;
  readonly milestones: FloorMilestones;
  readonly log: string;
}

export interface ReplanRun {
  readonly scenario: string;
  readonly round: number;
  readonly members: number;
  readonly code: number;
  readonly totalMs: number;
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
   * Which providers produced the figures, e.g. "hashicorp/tls 4.1.0, null 3.2.4, local 2.6.1
   * (built from their Go modules)"; "stand-in" in results from before the real providers.
   */
  readonly providers: string;
  readonly rounds: LabRound[];
  readonly deploys: DeployRun[];
  readonly floors: FloorRun[];
  readonly replans: ReplanRun[];
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
