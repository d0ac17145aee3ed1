/**
 * RFC 4180 CSV with a UTF-8 BOM (so Excel shows Vietnamese correctly) and CRLF line ends; the
 * delimiter is a comma, or a semicolon for Excel set to the Vietnamese locale.
 */
export function toCsv(
  header: string[],
  rows: Array<Array<string | number | boolean | null | undefined>>,
  delimiter: ',' | ';' = ',',
): string {
  const cell = (v: string | number | boolean | null | undefined) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    // Quote when needed; neutralise spreadsheet formulas (=, +, -, @ at the start of text).
    const safe = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\ufeff${[header, ...rows].map((r) => r.map(cell).join(delimiter)).join('\r\n')}\r\n`;
}
