/** Small Markdown helpers for the generated docs (GitHub-flavoured tables). */

export function code(text: string): string {
  return `\`${text}\``;
}

/** A table cell: pipes escaped, line breaks as <br> so one row stays one row. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export const NONE = '—';
