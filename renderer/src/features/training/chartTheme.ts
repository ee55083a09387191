// Chart colours come from CSS custom properties on the chart element (so light/dark live in the stylesheet);
// canvas drawing needs them as plain strings.
export interface ChartTheme {
  loss: string;
  valLoss: string;
  axis: string;
  grid: string;
  font: string;
}

export function readChartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    loss: v('--chart-loss', '#2563eb'),
    valLoss: v('--chart-val-loss', '#ea580c'),
    axis: v('--chart-axis', '#6b7280'),
    grid: v('--chart-grid', 'rgba(128,128,128,0.18)'),
    font: `12px ${style.fontFamily || 'system-ui, sans-serif'}`,
  };
}
