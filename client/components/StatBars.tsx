/**
 * Horizontal bar chart as SVG drawn here (no chart library): one bar per row. A count is a
 * bar to scale; "<5" a short outlined bar labelled "<5" (its length says nothing); "x"
 * (withheld) no bar. Labels are text nodes, so row keys are rendered as text, never markup.
 */
export interface Bar {
  label: string;
  value: number | '<5' | 'x';
}

const ROW = 22;
const LABEL = 250;
const WIDTH = 620;
const VALUE = 56;

export function StatBars({ title, bars }: { title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => (typeof b.value === 'number' ? b.value : 0)));
  const span = WIDTH - LABEL - VALUE;
  const h = bars.length * ROW + 4;
  return (
    <svg class="stat-bars" viewBox={`0 0 ${WIDTH} ${h}`} width="100%" role="img" aria-label={title} preserveAspectRatio="xMinYMin meet">
      {bars.map((b, i) => {
        const y = i * ROW + 2;
        const len = typeof b.value === 'number' ? Math.max(b.value > 0 ? 2 : 0, (b.value / max) * span) : b.value === '<5' ? Math.min(span, 8) : 0;
        return (
          <g key={i}>
            <text x={LABEL - 6} y={y + 15} text-anchor="end" class="stat-label">
              {b.label.length > 30 ? b.label.slice(0, 29) + '…' : b.label}
            </text>
            {len > 0 && <rect x={LABEL} y={y + 3} width={len} height={ROW - 8} class={b.value === '<5' ? 'stat-bar small' : 'stat-bar'} />}
            <text x={LABEL + len + 6} y={y + 15} class="stat-value">
              {typeof b.value === 'number' ? String(b.value) : b.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
