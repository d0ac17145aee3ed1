import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export class InvalidCursorError extends Error {}

interface CursorValue {
  v: string | number;
  id: string;
}

export function encodeCursor(value: CursorValue): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorValue {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      parsed &&
      typeof parsed === 'object' &&
      'id' in parsed &&
      'v' in parsed &&
      typeof (parsed as CursorValue).id === 'string' &&
      ['string', 'number'].includes(typeof (parsed as CursorValue).v)
    ) {
      return parsed as CursorValue;
    }
  } catch {
    /* fall through */
  }
  throw new InvalidCursorError('cursor is not valid');
}

/**
 * Keyset ("cursor") pagination over (sortColumn, id), stable under concurrent inserts: a row
 * inserted behind the cursor never shifts the next page. Ascending order.
 */
export async function paginate<E extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<E>,
  options: {
    cursor?: string;
    limit: number;
    sortColumn: string; // qualified, e.g. "u.created_at"
    sortValue: (row: E) => string | number | Date;
  },
): Promise<Page<E>> {
  const alias = qb.alias;
  if (options.cursor) {
    const c = decodeCursor(options.cursor);
    qb.andWhere(`(${options.sortColumn}, ${alias}.id) > (:cursorV, :cursorId)`, { cursorV: c.v, cursorId: c.id });
  }
  qb.orderBy(options.sortColumn, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .take(undefined)
    .limit(options.limit + 1);
  const rows = await qb.getMany();
  const hasMore = rows.length > options.limit;
  const items = hasMore ? rows.slice(0, options.limit) : rows;
  const last = items[items.length - 1];
  const lastValue = last ? options.sortValue(last) : undefined;
  return {
    items,
    nextCursor:
      hasMore && last && lastValue !== undefined
        ? encodeCursor({ v: lastValue instanceof Date ? lastValue.toISOString() : lastValue, id: last.id })
        : null,
  };
}
