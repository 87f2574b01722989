import { UserErrorException, userError } from '../../lib/errors.js';

/** Every code a driver mutation refuses with (its payload's userErrors); programs branch on these, never on messages. */
export type DriverRefusal = 'INVALID_INPUT' | 'FORBIDDEN' | 'HOLDER_NOT_FOUND' | 'LICENSE_NUMBER_TAKEN' | 'IMPORT_NOT_RESOLVABLE';

/** Refuses the mutation with one userError; nothing has been written when a procedure calls it. */
export const refuse = (code: DriverRefusal, message: string, field: string[]): never => {
  throw new UserErrorException([userError(code, message, field)]);
};
