/**
 * SQLSTATEs that mean "the database cannot serve right now" rather than "this query is wrong":
 * class 08 (connection exception), 57P01–57P03 (admin/crash shutdown, cannot connect now — a
 * restart or a crash recovery), 57014 (statement timeout: a query that outlived DB_STATEMENT_TIMEOUT_MS
 * on a stalled or overloaded server), 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|57014|53300)$/;
/** Socket errors of the pg driver when the server is gone or restarting. */
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);
/** Messages node-postgres raises without a code when a connection dies or cannot be made. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable|Query read timeout/i;

/**
 * Whether an error (a TypeORM QueryFailedError, a pg error, a socket error) means the database is
 * unreachable or restarting: such a request may be retried, so the api answers 503 with
 * Retry-After instead of a 500 (RELIABILITY RC8).
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATE.test(e.code) || UNAVAILABLE_ERRNO.has(e.code))) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  // AggregateError (a refused connection to several addresses)
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}
