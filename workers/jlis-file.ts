import { z } from 'zod';
import { JLIS_SIGNATURE_RE } from '../lib/domain/certificates/jlis-feed.js';
import { EARLIEST_DATE, isDateInRange, LATEST_DATE } from '../lib/platform/japan-date.js';
import { EXTERNAL_ID_RE, SERIAL_RE } from '../lib/platform/graphql/input.js';
import { isDateTimeInRange } from '../lib/platform/graphql/scalars.js';
import { hasForbiddenCharacter } from '../lib/platform/graphql/text-arguments.js';

/**
 * One line of a J-LIS file (API.md), checked before it is sent so a bad line is reported with its number: the same
 * checks the graph makes of the notification (dates of the DateTime and Date scalars, texts without control
 * characters), so that no line the graph would refuse is sent to spoil its batch.
 */
const dateTime = z.string().refine(isDateTimeInRange, `must be an ISO 8601 instant with an offset, from ${EARLIEST_DATE} to ${LATEST_DATE}`);
const isoDate = z.string().refine(isDateInRange, `must be YYYY-MM-DD from ${EARLIEST_DATE} to ${LATEST_DATE}`);
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !hasForbiddenCharacter(s), 'must not hold control characters, bidirectional formatting characters or unpaired surrogates');
const serial = z.string().regex(SERIAL_RE, 'must be a hexadecimal serial number');
/** J-LIS's signature of the line, base64; passed on as it is, checked by the graph (a missing one is a bad line). */
const signature = z.string().regex(JLIS_SIGNATURE_RE, "must be J-LIS's signature in base64");

export const JlisLine = z.discriminatedUnion('kind', [
  z.object({
    notificationId: z.string().regex(EXTERNAL_ID_RE),
    kind: z.literal('CERTIFICATE_RENEWED'),
    previousSerial: serial,
    serial,
    notBefore: dateTime,
    notAfter: dateTime,
    name: text(200).optional(),
    address: text(1000).optional(),
    birthDate: isoDate.optional(),
    filedOn: isoDate,
    signature,
  }),
  z.object({
    notificationId: z.string().regex(EXTERNAL_ID_RE),
    kind: z.literal('CERTIFICATE_REVOKED'),
    previousSerial: serial,
    filedOn: isoDate,
    signature,
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
