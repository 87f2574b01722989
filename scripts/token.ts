/**
 * `npm run --silent token -- --role ROLE [--prefecture 13] [--sub staff-001]`: prints one development JWT signed with
 * the dev key that `npm start` trusts.
 */
import { parseArgs } from 'node:util';
import { CALLER_ROLES, isPrefectureCode, PREFECTURE_SCOPED_ROLES } from '../lib/platform/identity/roles.js';
import { signDevToken } from '../lib/platform/identity/tokens.js';

function fail(message: string): never {
  console.error(`token: ${message}`);
  console.error(`usage: npm run --silent token -- --role ${CALLER_ROLES.join('|')} [--prefecture 01-47] [--sub SUBJECT] [--expires 12h]`);
  process.exit(2);
}

const { values } = parseArgs({
  options: { role: { type: 'string' }, prefecture: { type: 'string' }, sub: { type: 'string' }, expires: { type: 'string' } },
  strict: true,
});
const role = CALLER_ROLES.find((r) => r === values.role);
if (!role) fail('--role must be one of the roles');
if (values.prefecture !== undefined && !isPrefectureCode(values.prefecture)) fail('--prefecture must be a code 01-47');
if (PREFECTURE_SCOPED_ROLES.includes(role) && !values.prefecture) fail(`--prefecture is required for ${role}`);

const token = await signDevToken(
  { role, prefecture: values.prefecture ?? null, subject: values.sub },
  { issuer: process.env.JWT_ISSUER, audience: process.env.JWT_AUDIENCE, expiresIn: values.expires },
);
process.stdout.write(`${token}\n`);
