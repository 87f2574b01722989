import {
  defaultFieldResolver,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { invalidArgument, userError, type UserError } from '../errors.js';

/**
 * Characters no text the graph takes may hold: the C0 controls (a name has no tab or newline), DEL and the C1
 * controls, the bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069), which make a text read
 * otherwise than it is stored, and UTF-16 surrogates without their pair, which no encoding can store.
 */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** The same, but tab, line feed and carriage return pass: they are part of a PEM, a JSON document or base64. */
const FORBIDDEN_VERBATIM =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when a text holds a character the graph refuses (above); `verbatim` lets line breaks through. */
export const hasForbiddenCharacter = (value: string, verbatim = false): boolean => (verbatim ? FORBIDDEN_VERBATIM : FORBIDDEN).test(value);

/**
 * Input fields whose exact code points matter, so they are taken as sent, never normalised: signed documents, their
 * signatures, and certificates (whose subject is normalised where it is read, lib/domain/certificates/verify.ts).
 */
export const VERBATIM_FIELDS = new Set([
  'SubmitSignatureCertificateInput.certificatePem',
  'LinkMynaPortalInput.certificatePem',
  'SignedConsentInput.certificatePem',
  'SignedConsentInput.document',
  'SignedConsentInput.signature',
]);

export const FORBIDDEN_TEXT_MESSAGE = '使用できない文字（制御文字、双方向制御文字又は対になっていないサロゲート）が含まれています';

class ForbiddenText extends Error {
  constructor(readonly path: string[]) {
    super('forbidden character');
  }
}

/**
 * Every argument of every field that takes one, in every subgraph, passes here before its resolver runs: a text
 * holding a forbidden character is refused, naming where it is (never what), and every other text is normalised to
 * NFC, so that what is validated, compared and stored is one form of it (a decomposed か+゛ becomes が). A mutation
 * refuses with the userError `INVALID_INPUT` in its payload, a query with a top-level `INVALID_INPUT` naming the
 * argument. `_entities` and `_service` are the gateway's, not a caller's, and are left alone.
 */
export function guardTextArguments(schema: GraphQLSchema): GraphQLSchema {
  const mutation = schema.getMutationType();
  const query = schema.getQueryType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0 || (type === query && (field.name === '_entities' || field.name === '_service'))) continue;
      const refuse = type === mutation ? refusalFor(type.name, field) : null;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args: Record<string, unknown>, context, info) => {
        let cleaned: Record<string, unknown>;
        try {
          cleaned = cleanArguments(args, field.args);
        } catch (e) {
          if (!(e instanceof ForbiddenText)) throw e;
          if (refuse) return refuse(userError('INVALID_INPUT', `${e.path.join('.')}: ${FORBIDDEN_TEXT_MESSAGE}`, e.path));
          throw invalidArgument(e.path.join('.'), 'must not hold control characters, bidirectional formatting characters or unpaired surrogates');
        }
        return resolve(source, cleaned, context, info);
      };
    }
  }
  return schema;
}

function cleanArguments(args: Record<string, unknown>, defs: readonly GraphQLArgument[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of defs) {
    if (def.name in args) out[def.name] = clean(args[def.name], def.type, [def.name], false);
  }
  return out;
}

function clean(value: unknown, type: GraphQLInputType, path: string[], verbatim: boolean): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return clean(value, type.ofType, path, verbatim);
  if (isListType(type)) {
    return Array.isArray(value) ? value.map((v, i) => clean(v, type.ofType, [...path, String(i)], verbatim)) : clean(value, type.ofType, path, verbatim);
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[key];
      out[key] = field ? clean(v, field.type, [...path, key], VERBATIM_FIELDS.has(`${type.name}.${key}`)) : v;
    }
    return out;
  }
  if (isEnumType(type) || !isScalarType(type) || typeof value !== 'string') return value;
  if (hasForbiddenCharacter(value, verbatim)) throw new ForbiddenText(path);
  return verbatim ? value : value.normalize('NFC');
}

/**
 * How a mutation answers a refusal, from its payload type: userErrors, empty lists, zero counts, and null for the
 * rest. A payload with another kind of non-null field stops the server at start, so a new mutation cannot slip by.
 */
function refusalFor(typeName: string, field: GraphQLField<unknown, unknown>): (error: UserError) => Record<string, unknown> {
  const payload = getNullableType(field.type);
  if (!isObjectType(payload) || !payload.getFields().userErrors) {
    throw new Error(`${typeName}.${field.name}: a mutation answers a payload with userErrors`);
  }
  const base: Record<string, unknown> = {};
  for (const f of Object.values(payload.getFields())) {
    if (f.name === 'userErrors' || !isNonNullType(f.type)) continue;
    const inner = f.type.ofType;
    if (isListType(inner)) base[f.name] = [];
    else if (isScalarType(inner) && (inner.name === 'Int' || inner.name === 'Float')) base[f.name] = 0;
    else if (isScalarType(inner) && inner.name === 'Boolean') base[f.name] = false;
    else throw new Error(`${typeName}.${field.name}: no refusal value for the non-null payload field ${f.name}`);
  }
  return (error) => ({ ...base, userErrors: [error] });
}
