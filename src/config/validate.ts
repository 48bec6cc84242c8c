import { resolveSpec } from './resolve';
import type { ResolvedCluster } from './resolved';
import { CLUSTER_SPEC_FIELD } from './schema';
import { checkSemantics } from './semantics';
import { checkStructure, SpecIssue } from './structure';
import type { ResolvedClusterSpec } from './types';

/** Thrown when a spec breaks a rule; `issues` names each offending value and the rule. */
export class SpecValidationError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(
      `invalid etcd cluster spec (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
    );
    this.name = 'SpecValidationError';
  }
}

/**
 * Validates a spec (from a file or from construct props) and applies the defaults: structure
 * against the descriptor, then the defaults (resolve.ts), then the rules across fields on the
 * resolved spec (semantics.ts). Throws `SpecValidationError` listing every problem; nothing is
 * synthesized from a bad spec.
 */
export function validateClusterSpec(input: unknown): ResolvedCluster {
  const issues: SpecIssue[] = [];
  checkStructure(input, CLUSTER_SPEC_FIELD, '', issues);
  const record = input as Record<string, unknown> | null;
  const membersUsable =
    typeof record === 'object' && record !== null && Array.isArray(record.members) && record.members.every((m) => typeof m === 'object' && m !== null);
  let warnings: string[] = [];
  let resolved: ResolvedClusterSpec | undefined;
  if (issues.length === 0 || membersUsable) {
    // Cross-field rules run even after structural findings, so one run reports duplicates too; a
    // path already reported keeps its first (structural) message.
    try {
      const { value, provided } = resolveSpec<ResolvedClusterSpec>(input);
      const findings = checkSemantics(value, provided);
      const seen = new Set(issues.map((i) => i.path));
      issues.push(...findings.issues.filter((i) => !seen.has(i.path)));
      warnings = findings.warnings;
      resolved = value;
    } catch (e) {
      if (issues.length === 0) throw e;
    }
  }
  if (issues.length > 0 || !resolved) throw new SpecValidationError(issues);
  return { ...resolved, members: resolved.members.map((m, index) => ({ ...m, index })), warnings };
}
