import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { BalancePoint } from '../lib/balance';
import { formatAmount, fromMinor, plotValue } from '../lib/money';

/** The balance of one currency over time, as a stepped line (uPlot). The postings table beside it holds the same data as text. */
export function BalanceChart({ points, currency, exponent }: { points: readonly BalancePoint[]; currency: string; exponent: number }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element || points.length === 0) return undefined;
    // The opening point shares its time with the first posting; a millisecond earlier keeps the x values ascending.
    const xs = points.map((point, index) => (Date.parse(point.timestamp) - (index === 0 && !point.posting ? 1 : 0)) / 1000);
    const ys = points.map((point) => plotValue(point.minor, exponent));
    // The scale fits the balances after postings: the zero before an opening
    // posting would flatten every later movement into a line.
    const shown = points.length > 2 ? ys.slice(1) : ys;
    const low = Math.min(...shown);
    const high = Math.max(...shown);
    const pad = high > low ? (high - low) * 0.1 : Math.max(Math.abs(high) * 0.01, 1);
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 260,
        scales: { x: { time: true }, y: { range: () => [low - pad, high + pad] } },
        axes: [{ stroke: '#1f2933' }, { stroke: '#1f2933', size: 90, values: (_u, splits) => splits.map((value) => value.toLocaleString('en', { maximumFractionDigits: exponent })) }],
        series: [
          { value: (_u, value) => (value == null ? '—' : new Date(value * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC')) },
          {
            label: `Balance (${currency})`,
            stroke: '#0b5cad',
            width: 2,
            fill: 'rgba(11, 92, 173, 0.08)',
            paths: uPlot.paths.stepped?.({ align: 1 }),
            // The legend shows the exact balance, from the bigint, not the plotted float.
            value: (_u, _value, _series, index) => (index == null ? '—' : formatAmount(fromMinor(points[index].minor, currency, exponent), currency)),
          },
        ],
      },
      [xs, ys],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(320, element.clientWidth), height: 260 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [points, currency, exponent]);
  return (
    <figure className="chart" data-testid="balance-chart">
      <div ref={container} role="img" aria-label={`Chart of the ${currency} balance over time; the postings table below lists the same movements.`} />
      <figcaption>{currency} balance after each posting (UTC)</figcaption>
    </figure>
  );
}
