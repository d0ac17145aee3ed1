/** An instant as ISO 8601 in responses; null stays null. */
export function isoOrNull(d: Date | string | null | undefined): string | null {
  return d ? new Date(d).toISOString() : null;
}
