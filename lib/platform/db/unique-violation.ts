/**
 * Whether a database error is a unique-index violation (SQLSTATE 23505), as postgres.js and PGlite report it
 * (drizzle wraps the driver's error as its `cause`). Repositories turn it into an answer of their own.
 */
export function isUniqueViolation(e: unknown): boolean {
  const code = (x: unknown) => (x as { code?: unknown } | null)?.code;
  return code(e) === '23505' || code((e as { cause?: unknown } | null)?.cause) === '23505';
}
