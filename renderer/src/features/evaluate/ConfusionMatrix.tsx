// The confusion matrix as an accessible table: rows are true labels, columns predicted labels, each cell shaded by
// its share of the largest count in its row (lib/confusion.ts), so where each label's examples went reads at a glance.
import { cellShade, formatPercent, rowShare } from '../../lib/confusion';

export function ConfusionMatrix({ labels, confusion }: { labels: readonly string[]; confusion: readonly (readonly number[])[] }) {
  return (
    <div className="table-scroll">
      <table className="confusion-table" data-testid="confusion-matrix">
        <caption className="confusion-caption">Confusion matrix: rows are the true labels, columns the predicted ones.</caption>
        <thead>
          <tr>
            <td className="confusion-corner" aria-hidden="true" />
            <th scope="colgroup" colSpan={labels.length} className="confusion-axis">
              predicted
            </th>
          </tr>
          <tr>
            <th scope="col" className="confusion-axis">
              true
            </th>
            {labels.map((label) => (
              <th key={label} scope="col" className="confusion-label">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((label, row) => (
            <tr key={label}>
              <th scope="row" className="confusion-label">
                {label}
              </th>
              {labels.map((predicted, column) => {
                const count = confusion[row]?.[column] ?? 0;
                const shade = cellShade(confusion, row, column);
                return (
                  <td
                    key={predicted}
                    className={`confusion-cell${row === column ? ' is-diagonal' : ''}${shade > 0.55 ? ' is-strong' : ''}`}
                    style={{ ['--shade' as string]: `${Math.round(shade * 100)}%` }}
                    title={`true ${label}, predicted ${predicted}: ${count} (${formatPercent(rowShare(confusion, row, column), 0)} of ${label})`}
                  >
                    {count}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
