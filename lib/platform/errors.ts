import { GraphQLError } from 'graphql';

/**
 * Stable error codes for top-level GraphQL errors. Clients branch on `extensions.code`; messages name what is wrong
 * (an argument, a header) but never carry personal values.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  PURPOSE_REQUIRED: 'PURPOSE_REQUIRED',
  IDENTITY_VERIFICATION_REQUIRED: 'IDENTITY_VERIFICATION_REQUIRED',
  INVALID_INPUT: 'INVALID_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401 };

export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, {
    extensions: { code, ...extra, ...(status ? { http: { status } } : {}) },
  });
}

export const unauthenticated = (why = 'a valid bearer token is required') => apiError('UNAUTHENTICATED', why);
export const forbidden = (why = 'not allowed for this identity') => apiError('FORBIDDEN', why);
export const invalidArgument = (argument: string, why: string) => apiError('INVALID_INPUT', `argument "${argument}" ${why}`, { argument });

/** A refused business action or malformed input, returned as data in a mutation payload. */
export interface UserError {
  code: string;
  message: string;
  field: string[] | null;
}

/** Thrown inside a mutation to abort its transaction and answer with userErrors instead. */
export class UserErrorException extends Error {
  constructor(readonly userErrors: UserError[]) {
    super(userErrors.map((e) => e.code).join(', '));
  }
}

export const userError = (code: string, message: string, field?: string[]): UserError => ({ code, message, field: field ?? null });
