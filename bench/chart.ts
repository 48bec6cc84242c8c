// results.png: vega-lite spec → vega → SVG → PNG with resvg. Three panels: synth medians per stack
// (compiled and ts-node), the phases of each first deploy's and floor's median run, and those of
// the no-change plans, the restart floor and the changes applied to a deployed cluster.
import { Resvg } from '@resvg/resvg-js';
import { chartFontFile, FONT_FAMILY } from './fonts';
import { Phase } from './phases';
import { SCENARIOS } from './scenarios';
import { PHASE_LABEL, PHASE_ORDER, rollingBound, Summary } from './summary';
import { BOUNDS } from './targets';

// vega and vega-lite are ES modules with top-level await: a real dynamic import(), which
// TypeScript's CommonJS output would otherwise turn into require().
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;

const PHASE_COLOURS: Record<Phase, string> = {
  init: '#9e9e9e',
  plan: '#6baed6',
  pki: '#fd8d3c',
  install: '#74c476',
  start: '#9e9ac8',
  health: '#e377c2',
  finish: '#c7c7c7',
};

/** Phases of plans, restart floors and change applies, by the name the summary gives them. */
const OPS_COLOURS: Record<string, string> = {
  load: '#17becf',
  refresh: '#bcbd22',
  connect: '#8c564b',
  plan: '#6baed6',
  PKI: '#fd8d3c',
  provision: '#74c476',
  stop: '#d62728',
  start: '#ff9896',
  gate: '#9467bd',
  health: '#e377c2',
  finish: '#c7c7c7',
};

const stackLabel = (id: string): string => (id === 'empty' ? 'empty stack' : id === 'default' ? 'default (3)' : `${id} members`);

/** The synth target as a line: 51 members compiled at most BOUNDS.synthVsEmpty × the empty stack. */
function synthTargetRule(summary: Summary): object[] {
  const empty = summary.synth.find((r) => r.id === 'empty')?.compiled;
  if (!empty) return [];
  const y = (BOUNDS.synthVsEmpty * empty.median) / 1000;
  return [
    { data: { values: [{ y }] }, mark: { type: 'rule', color: '#d62728', strokeDash: [4, 4] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
    {
      data: { values: [{ y, text: `target: 51 members compiled ≤ ${BOUNDS.synthVsEmpty}× the empty stack (${y.toFixed(2)} s)` }] },
      mark: { type: 'text', color: '#d62728', align: 'left', dy: -6, x: 4, fontSize: 10 },
      encoding: { y: { field: 'y', type: 'quantitative' }, text: { field: 'text' } },
    },
  ];
}

/** Plans, the restart floor and the changes: phases of the median run, and each against its floor. */
function opsPanel(summary: Summary): object | undefined {
  if (summary.ops.length === 0) return undefined;
  const label = (phase: string): string => (phase === 'pki' ? 'PKI' : phase);
  const values = summary.ops.flatMap((r) =>
    r.phaseOrder.map((phase, order) => ({ scenario: r.scenario, phase: label(phase), order, seconds: (r.phases[phase] ?? 0) / 1000 })),
  );
  const find = (kind: string, name?: string) => summary.ops.find((r) => r.kind === kind && (name === undefined || r.scenario === name));
  const floor = find('restart-floor');
  const emptyPlan = summary.ops.find((r) => r.kind === 'plan' && r.members === 0);
  const against = (r: (typeof summary.ops)[number]): string => {
    if (r.kind === 'plan' && r.members > 0 && emptyPlan) return ` (${(r.total.median / emptyPlan.total.median).toFixed(1)}× empty plan)`;
    if (r.kind === 'change' && floor && r.scenario !== SCENARIOS.change1)
      return ` (bound ${(rollingBound(r.members, floor.total.median) / 1000).toFixed(1)} s)`;
    if (r.kind === 'change' && floor) return ` (${(r.total.median / floor.total.median).toFixed(1)}× restart floor)`;
    return '';
  };
  const labels = summary.ops.map((r) => ({
    scenario: r.scenario,
    total: r.medianRunTotal / 1000,
    label: `${(r.medianRunTotal / 1000).toFixed(1)} s${against(r)}`,
  }));
  const names = [...new Set(summary.ops.flatMap((r) => r.phaseOrder.map(label)))];
  const y = { field: 'scenario', type: 'nominal', sort: summary.ops.map((r) => r.scenario), title: null, axis: { labelLimit: 240 } };
  return {
    title: 'Lab: plans, restarts and changes on a deployed cluster, phases of the median run (s)',
    width: 640,
    height: 28 * summary.ops.length,
    layer: [
      {
        data: { values },
        mark: 'bar',
        encoding: {
          y,
          x: {
            field: 'seconds',
            type: 'quantitative',
            stack: 'zero',
            title: 'seconds',
            scale: { domain: [0, Math.max(...labels.map((l) => l.total)) * 1.35] },
          },
          color: { field: 'phase', type: 'nominal', title: 'phase', scale: { domain: names, range: names.map((n) => OPS_COLOURS[n] ?? '#7f7f7f') } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
      {
        data: { values: labels },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 },
        encoding: { y, x: { field: 'total', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
}

/** The vega-lite spec (exported for inspection; no data beyond the summary's). */
export function chartSpec(summary: Summary): object {
  const synthValues = summary.synth.flatMap((r) =>
    [
      r.compiled ? { stack: stackLabel(r.id), mode: 'compiled', seconds: r.compiled.median / 1000 } : undefined,
      r.tsNode ? { stack: stackLabel(r.id), mode: 'ts-node', seconds: r.tsNode.median / 1000 } : undefined,
    ].filter((v) => v !== undefined),
  );
  const phaseNames = PHASE_ORDER.map((p) => PHASE_LABEL[p]);
  const phaseValues = summary.scenarios.flatMap((r) =>
    PHASE_ORDER.filter((p) => r.phases[p] !== undefined).map((p, i) => ({
      scenario: r.scenario,
      phase: PHASE_LABEL[p],
      order: i,
      seconds: (r.phases[p] ?? 0) / 1000,
    })),
  );
  const floorOf = (members: number) => summary.scenarios.find((f) => f.kind === 'floor' && f.members === members);
  const labels = summary.scenarios.map((r) => {
    const floor = r.kind === 'deploy' && !r.scenario.includes('parallelism') ? floorOf(r.members) : undefined;
    return {
      scenario: r.scenario,
      total: r.medianRunTotal / 1000,
      label: `${(r.medianRunTotal / 1000).toFixed(1)} s${floor ? ` (${(r.total.median / floor.total.median).toFixed(1)}× floor)` : ''}`,
    };
  });
  const scenarioOrder = summary.scenarios.map((r) => r.scenario);
  const panels: object[] = [];
  if (synthValues.length > 0) {
    const stackOrder = summary.synth.map((r) => stackLabel(r.id));
    const x = { field: 'stack', type: 'nominal', sort: stackOrder, title: null, axis: { labelAngle: 0 } };
    panels.push({
      title: 'Synth: median wall time of one fresh process (s)',
      width: 640,
      height: 220,
      layer: [
        {
          data: { values: synthValues },
          mark: 'bar',
          encoding: {
            x,
            xOffset: { field: 'mode', sort: ['compiled', 'ts-node'] },
            y: { field: 'seconds', type: 'quantitative', title: 'seconds' },
            color: { field: 'mode', type: 'nominal', title: 'synth', scale: { domain: ['compiled', 'ts-node'], range: ['#3182bd', '#fdae6b'] } },
          },
        },
        {
          data: { values: synthValues },
          mark: { type: 'text', dy: -5, fontSize: 9 },
          encoding: {
            x,
            xOffset: { field: 'mode', sort: ['compiled', 'ts-node'] },
            y: { field: 'seconds', type: 'quantitative' },
            text: { field: 'seconds', format: '.2f' },
          },
        },
        ...synthTargetRule(summary),
      ],
    });
  }
  if (phaseValues.length > 0) {
    const y = { field: 'scenario', type: 'nominal', sort: scenarioOrder, title: null, axis: { labelLimit: 240 } };
    const maxTotal = Math.max(...labels.map((l) => l.total));
    panels.push({
      title: 'Lab: first deploys, phases of the median run (s); floor = plain parallel SSH',
      width: 640,
      height: 28 * scenarioOrder.length,
      layer: [
        {
          data: { values: phaseValues },
          mark: 'bar',
          encoding: {
            y,
            x: { field: 'seconds', type: 'quantitative', stack: 'zero', title: 'seconds', scale: { domain: [0, maxTotal * 1.3] } },
            color: {
              field: 'phase',
              type: 'nominal',
              title: 'phase',
              scale: {
                domain: phaseNames,
                range: PHASE_ORDER.map((p) => PHASE_COLOURS[p]),
              },
            },
            order: { field: 'order', type: 'quantitative' },
          },
        },
        {
          data: { values: labels },
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 },
          encoding: { y, x: { field: 'total', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    });
  }
  const ops = opsPanel(summary);
  if (ops) panels.push(ops);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 12,
    config: { font: FONT_FAMILY, view: { stroke: null } },
    vconcat: panels,
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  };
}

export async function renderChart(summary: Summary, log: (s: string) => void = (s) => console.error(s)): Promise<Buffer> {
  const fontFile = chartFontFile(log);
  const vegaLite = await importEsm('vega-lite');
  const vega = await importEsm('vega');
  const compiled = vegaLite.compile(chartSpec(summary)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg: string = await view.toSVG();
  view.finalize();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 1.5 },
    background: 'white',
    font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}
