// Chart colours come from CSS custom properties (so light/dark live in the stylesheet); canvas drawing needs them
// as plain strings, read once per chart build.
export interface ChartTheme {
  axis: string;
  grid: string;
  font: string;
  /** Resolved colour of each line's custom property, in the order asked. */
  lines: string[];
}

const FALLBACK_LINE = '#6366f1';

export function readChartTheme(element: Element, lineColorVars: readonly string[]): ChartTheme {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    axis: v('--chart-axis', '#6b7280'),
    grid: v('--chart-grid', 'rgba(128,128,128,0.18)'),
    font: `12px ${style.fontFamily || 'system-ui, sans-serif'}`,
    lines: lineColorVars.map((name) => v(name, FALLBACK_LINE)),
  };
}
