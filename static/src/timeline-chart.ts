/**
 * Mood over time: mean compound (line) and volume by label (stacked bars) from the roll-up API,
 * for the last hour (reloaded every few seconds), day or week. Both charts share the cursor.
 */
import uPlot from 'uplot';
import type { ApiClient } from './api.ts';
import { chartColors, type ChartColors } from './chart-colors.ts';
import { byId, setText } from './dom.ts';
import { formatCompound, formatCount } from './format.ts';
import { onThemeChange } from './theme.ts';
import { RANGES, alignPoints, isRange, stackedColumns, type Range, type TimelineColumns } from './timeline-data.ts';

const COMPOUND_HEIGHT = 180;
const VOLUME_HEIGHT = 150;
const bucketFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' });
/** Room on the right for the last time label, which uPlot centres on its tick. */
const CHART_PADDING: uPlot.Padding = [8, 24, null, null];

export class TimelineChart {
  private readonly compoundHost = byId('chart-compound', HTMLElement);
  private readonly volumeHost = byId('chart-volume', HTMLElement);
  private readonly summary = byId('timeline-summary', HTMLElement);
  private compound: uPlot | null = null;
  private volume: uPlot | null = null;
  private columns: TimelineColumns | null = null;
  private range: Range = 'hour';
  private timer: number | undefined;
  private loadSequence = 0;

  private readonly api: ApiClient;

  constructor(api: ApiClient) {
    this.api = api;
    for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="range"]')) {
      if (radio.checked && isRange(radio.value)) this.range = radio.value;
      radio.addEventListener('change', () => {
        if (radio.checked && isRange(radio.value)) this.setRange(radio.value);
      });
    }
    onThemeChange(() => this.rebuild());
    new ResizeObserver(() => this.resize()).observe(this.compoundHost);
  }

  /** Loads the selected range and keeps it fresh. */
  start(): void {
    void this.load();
  }

  private setRange(range: Range): void {
    this.range = range;
    void this.load();
  }

  private async load(): Promise<void> {
    window.clearTimeout(this.timer);
    const sequence = ++this.loadSequence;
    const spec = RANGES[this.range];
    const until = Date.now() + spec.step;
    const since = until - spec.span;
    try {
      const points = await this.api.timeseries(spec.resolution, since, until);
      if (sequence !== this.loadSequence) return;
      this.columns = alignPoints(points, since, until, spec.step);
      this.draw();
      this.describe();
    } catch (error) {
      if (sequence !== this.loadSequence) return;
      console.error(error);
      setText(this.summary, `Could not load the history (${error instanceof Error ? error.message : String(error)}). Retrying.`);
    }
    if (sequence === this.loadSequence) {
      this.timer = window.setTimeout(() => void this.load(), spec.refresh);
    }
  }

  private describe(): void {
    const columns = this.columns;
    if (!columns) return;
    const total = columns.posts.reduce((sum, count) => sum + count, 0);
    const means = columns.meanCompound.filter((value): value is number => value !== null);
    const description = RANGES[this.range].description;
    if (total === 0) {
      setText(this.summary, `No stored posts in ${description}.`);
      return;
    }
    const latest = means.at(-1) ?? null;
    const low = means.length > 0 ? Math.min(...means) : null;
    const high = means.length > 0 ? Math.max(...means) : null;
    const range =
      low === high
        ? `Mean compound was ${formatCompound(low)}.`
        : `Mean compound ranged from ${formatCompound(low)} to ${formatCompound(high)}; latest ${formatCompound(latest)}.`;
    setText(this.summary, `${formatCount(total)} posts in ${description}. ${range}`);
  }

  private draw(): void {
    const columns = this.columns;
    if (!columns) return;
    if (!this.compound || !this.volume) {
      this.create(columns);
      return;
    }
    this.compound.setData([columns.times, columns.meanCompound]);
    this.volume.setData([columns.times, ...stackedColumns(columns).map((layer) => layer.values)]);
  }

  private create(columns: TimelineColumns): void {
    const colors = chartColors();
    const width = Math.max(200, this.compoundHost.clientWidth);
    const sync = { key: 'timeline' };

    this.compound = new uPlot(
      {
        width,
        height: COMPOUND_HEIGHT,
        padding: CHART_PADDING,
        cursor: { sync },
        scales: {
          x: { time: true },
          // Keep ±0.25 in view so a calm period is not stretched into dramatic swings.
          y: { range: (_chart, min, max) => [Math.min(min ?? 0, -0.25), Math.max(max ?? 0, 0.25)] },
        },
        axes: axes(colors, (value) => formatCompound(value)),
        series: [
          this.timeSeries(),
          {
            label: 'Mean compound',
            stroke: colors.accent,
            width: 2,
            points: { show: true, size: 6, fill: colors.accent, filter: isolatedPoints },
            // Without a cursor over the chart, the legend shows the latest bucket with a score.
            value: (_chart, value, _series, index) => {
              const columns = this.columns;
              if (index !== null || !columns) return formatCompound(value ?? null);
              return formatCompound(columns.meanCompound.findLast((mean) => mean !== null) ?? null);
            },
          },
        ],
        hooks: { draw: [(chart) => drawZeroLine(chart, colors)] },
      },
      [columns.times, columns.meanCompound],
      this.compoundHost,
    );

    const layers = stackedColumns(columns);
    const bars = uPlot.paths.bars?.({ size: [0.8, 24], gap: 1 });
    this.volume = new uPlot(
      {
        width,
        height: VOLUME_HEIGHT,
        padding: CHART_PADDING,
        cursor: { sync },
        scales: { x: { time: true }, y: { range: (_chart, _min, max) => [0, Math.max(1, max ?? 1)] } },
        axes: axes(colors, (value) => formatCount(value), INTEGER_STEPS),
        series: [
          this.timeSeries(),
          ...layers.map((layer) => ({
            label: layer.label,
            fill: colors.labels[layer.label],
            stroke: colors.labels[layer.label],
            width: 0,
            paths: bars,
            points: { show: false },
            // The drawn values are running sums; the legend shows the label's own count.
            value: (_chart: uPlot, _value: number, _series: number, index: number | null) => {
              const counts = this.columns?.labels[layer.label];
              if (!counts) return '';
              return formatCount(counts[index ?? this.latestIndex()] ?? 0);
            },
          })),
        ],
      },
      [columns.times, ...layers.map((layer) => layer.values)],
      this.volumeHost,
    );
  }

  /** Builds the x series; its legend shows the bucket start, or "latest" without a cursor. */
  private timeSeries(): uPlot.Series {
    return {
      label: 'Time',
      value: (_chart, value, _series, index) => {
        if (index === null) return this.columns && this.columns.times.length > 0 ? 'latest' : '';
        return bucketFormat.format(value * 1000);
      },
    };
  }

  /** Index of the newest bucket that has posts, or the newest bucket when none has. */
  private latestIndex(): number {
    const posts = this.columns?.posts ?? [];
    for (let index = posts.length - 1; index >= 0; index--) if (posts[index]! > 0) return index;
    return posts.length - 1;
  }

  /** Recreates both charts, which is how uPlot picks up new axis and series colours. */
  private rebuild(): void {
    this.compound?.destroy();
    this.volume?.destroy();
    this.compound = null;
    this.volume = null;
    this.draw();
  }

  private resize(): void {
    const width = Math.max(200, this.compoundHost.clientWidth);
    if (this.compound && this.compound.width !== width) this.compound.setSize({ width, height: COMPOUND_HEIGHT });
    if (this.volume && this.volume.width !== width) this.volume.setSize({ width, height: VOLUME_HEIGHT });
  }
}

/** Whole-number tick steps for post counts, so a quiet minute does not show ticks at 0.5. */
const INTEGER_STEPS = [
  1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000,
  1_000_000,
];

function axes(colors: ChartColors, formatValue: (value: number) => string, steps?: number[]): uPlot.Axis[] {
  const grid = { stroke: colors.grid, width: 1 };
  return [
    { stroke: colors.muted, grid, ticks: { stroke: colors.grid } },
    { stroke: colors.muted, grid, ticks: { stroke: colors.grid }, size: 56, incrs: steps, values: (_chart, splits) => splits.map(formatValue) },
  ];
}

/** Indices of values without a neighbour, which a line alone would not draw at all. */
function isolatedPoints(chart: uPlot, seriesIndex: number): number[] {
  const values = chart.data[seriesIndex] ?? [];
  const isolated: number[] = [];
  for (let index = 0; index < values.length; index++) {
    if (values[index] != null && values[index - 1] == null && values[index + 1] == null) isolated.push(index);
  }
  return isolated;
}

/** Draws the neutral line at compound 0, the reference a reader compares the mood against. */
function drawZeroLine(chart: uPlot, colors: ChartColors): void {
  const y = chart.valToPos(0, 'y', true);
  if (!Number.isFinite(y) || y < chart.bbox.top || y > chart.bbox.top + chart.bbox.height) return;
  const context = chart.ctx;
  context.save();
  context.strokeStyle = colors.muted;
  context.lineWidth = 1;
  context.setLineDash([4, 4]);
  context.beginPath();
  context.moveTo(chart.bbox.left, y);
  context.lineTo(chart.bbox.left + chart.bbox.width, y);
  context.stroke();
  context.restore();
}
