import { UserErrorException, type UserError } from '../errors.js';
import type { Db } from '../db/database.js';

/**
 * Runs a mutation's work in one transaction. A refusal (UserErrorException) rolls everything back and becomes the
 * payload's userErrors, so a refused or malformed request never leaves a half-written row.
 */
export async function inTransaction<T extends object>(
  db: Db,
  work: (tx: Db) => Promise<T>,
): Promise<Partial<T> & { userErrors: UserError[] }> {
  try {
    const result = await db.transaction((tx) => work(tx as unknown as Db));
    return { ...result, userErrors: [] };
  } catch (e) {
    if (e instanceof UserErrorException) return { userErrors: e.userErrors } as Partial<T> & { userErrors: UserError[] };
    throw e;
  }
}

/** Collects every malformed field of an input before refusing, so a form can mark them all at once. */
export class InputCheck {
  readonly errors: UserError[] = [];
  constructor(private readonly root: string = 'input') {}

  require(ok: boolean, field: string, message: string): this {
    if (!ok) this.errors.push({ code: 'INVALID_INPUT', message: `${field}: ${message}`, field: [this.root, field] });
    return this;
  }

  /** Throws the collected errors, if any. */
  done(): void {
    if (this.errors.length > 0) throw new UserErrorException(this.errors);
  }
}

/**
 * Runs a procedure that opens its own transaction(s) and may call other subgraphs first; a refusal becomes the
 * payload's userErrors. Nothing is written before the last check has passed.
 */
export async function inMutation<T extends object>(
  work: () => Promise<T>,
  /** The payload's non-null fields when refused (lists answer empty); nullable ones answer null. */
  whenRefused: Partial<T> = {},
): Promise<T & { userErrors: UserError[] }> {
  try {
    return { ...(await work()), userErrors: [] };
  } catch (e) {
    if (e instanceof UserErrorException) return { ...whenRefused, userErrors: e.userErrors } as T & { userErrors: UserError[] };
    throw e;
  }
}
