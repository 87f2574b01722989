import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { EARLIEST_DATE, isDateInRange, isInstantInRange, isValidIsoDate, LATEST_DATE } from '../japan-date.js';

/** Messages say what shape is expected, never echo the value: a value may be a birth date. */
function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isDateInRange(value)) {
    throw new GraphQLError(`a Date must be a calendar date "YYYY-MM-DD" from ${EARLIEST_DATE} to ${LATEST_DATE}`, { extensions: { code: 'INVALID_INPUT' } });
  }
  return value;
}

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant with an offset, inside the range the graph takes: what the DateTime scalar accepts. */
export function isDateTimeInRange(value: string): boolean {
  const instant = DATETIME_RE.test(value) ? new Date(value) : null;
  return !!instant && !Number.isNaN(instant.getTime()) && isInstantInRange(instant);
}

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !isDateTimeInRange(value)) {
    throw new GraphQLError(`a DateTime must be ISO 8601 with an offset, from ${EARLIEST_DATE} to ${LATEST_DATE} (Japan time)`, {
      extensions: { code: 'INVALID_INPUT' },
    });
  }
  return new Date(value);
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A Japan calendar date, "YYYY-MM-DD".',
  serialize: (v) => {
    if (typeof v === 'string' && isValidIsoDate(v)) return v;
    throw new GraphQLError('Date cannot represent this value');
  },
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with an offset.',
  serialize: (v) => {
    const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null;
    if (!d || Number.isNaN(d.getTime())) throw new GraphQLError('DateTime cannot represent this value');
    return d.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

export const scalarResolvers = { Date: DateScalar, DateTime: DateTimeScalar };
