import { z } from 'zod';
import { isValidIsoDate } from '../lib/japan-date.js';
import { EXTERNAL_ID_RE, SERIAL_RE } from '../lib/graphql/input.js';

/** One line of a J-LIS file (API.md), checked before it is sent so a bad line is reported with its number. */
const dateTime = z.string().refine((s) => /[T ]\d{2}:\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 instant');
const isoDate = z.string().refine(isValidIsoDate, 'must be YYYY-MM-DD');
const serial = z.string().regex(SERIAL_RE, 'must be a hexadecimal serial number');

export const JlisLine = z.discriminatedUnion('kind', [
  z.object({
    notificationId: z.string().regex(EXTERNAL_ID_RE),
    kind: z.literal('CERTIFICATE_RENEWED'),
    previousSerial: serial,
    serial,
    notBefore: dateTime,
    notAfter: dateTime,
    name: z.string().min(1).max(200).optional(),
    address: z.string().min(1).max(1000).optional(),
    birthDate: isoDate.optional(),
    filedOn: isoDate,
  }),
  z.object({
    notificationId: z.string().regex(EXTERNAL_ID_RE),
    kind: z.literal('CERTIFICATE_REVOKED'),
    previousSerial: serial,
    filedOn: isoDate,
  }),
]);
export type JlisLine = z.infer<typeof JlisLine>;

export type ParsedLine = { ok: true; line: number; value: JlisLine } | { ok: false; line: number; problem: string };

/** Parses one line; the problem names the field, never echoes a value (lines carry names and addresses). */
export function parseJlisLine(text: string, line: number): ParsedLine | null {
  if (text.trim() === '') return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, line, problem: 'not JSON' };
  }
  const r = JlisLine.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return { ok: false, line, problem: `${issue.path.join('.') || 'line'}: ${issue.message}` };
  }
  return { ok: true, line, value: r.data };
}
