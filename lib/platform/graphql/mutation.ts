import { UserErrorException, userError, type UserError } from '../errors.js';

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
 * A subgraph's refusal: one userError with a code of the subgraph's own union (subgraphs/<name>/refusals.ts), so a
 * code no caller was told of cannot be written by mistake. Nothing is written when a procedure refuses.
 */
export type Refuse<Code extends string> = (code: Code, message: string, field?: string[]) => never;
export const refusalsOf =
  <Code extends string>(): Refuse<Code> =>
  (code, message, field) => {
    throw new UserErrorException([userError(code, message, field)]);
  };

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
