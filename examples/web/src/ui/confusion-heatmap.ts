import { count, percent } from './format.js';

/**
 * The confusion matrix as a table coloured like a heat map: rows are the true digit, columns the prediction. The
 * diagonal (right answers) is green by the row's recall, from none at 80% or less to full at 100%, since that is where
 * models differ; the other cells are red by their count against the largest mistake count, on a square-root scale so
 * that a handful of mistakes still shows. Every cell keeps its number, so the table reads without colour.
 */
export function renderConfusion(table: HTMLTableElement, confusion: Int32Array): void {
  let largestMistake = 1;
  for (let t = 0; t < 10; t++)
    for (let p = 0; p < 10; p++) if (t !== p) largestMistake = Math.max(largestMistake, confusion[t * 10 + p]);
  const head = document.createElement('tr');
  head.append(cell('th', 'true ↓ predicted →', 'col'));
  for (let p = 0; p < 10; p++) head.append(cell('th', String(p), 'col'));
  const rows = [head];
  for (let t = 0; t < 10; t++) {
    const row = document.createElement('tr');
    row.append(cell('th', String(t), 'row'));
    let total = 0;
    for (let p = 0; p < 10; p++) total += confusion[t * 10 + p];
    for (let p = 0; p < 10; p++) {
      const n = confusion[t * 10 + p];
      const td = cell('td', count(n));
      const strength = t === p ? (total > 0 ? n / total : 0) : Math.sqrt(n / largestMistake);
      const alpha = t === p ? Math.max(0, (strength - 0.8) / 0.2) : strength;
      td.style.backgroundColor =
        t === p ? `rgba(46, 140, 80, ${alpha.toFixed(3)})` : `rgba(200, 50, 40, ${alpha.toFixed(3)})`;
      if (alpha > 0.55) td.classList.add('dark');
      td.title =
        t === p
          ? `${count(n)} of ${count(total)} ${t}s recognised (${percent(total > 0 ? n / total : 0, 1)})`
          : `${count(n)} ${t}s taken for ${p}s`;
      row.append(td);
    }
    rows.push(row);
  }
  table.replaceChildren(...rows);
}

function cell(tag: 'th' | 'td', text: string, scope?: 'row' | 'col'): HTMLTableCellElement {
  const element = document.createElement(tag);
  element.textContent = text;
  if (scope) element.scope = scope;
  return element;
}
