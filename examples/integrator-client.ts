/**
 * An integrator's client, written against the kit alone (packages/client): a licence centre's front-end shows a
 * holder's card, then lists the failed imports of its prefecture a page at a time. Documents go by hash, so it runs
 * against a production gateway as it is.
 *
 *   GQL=http://localhost:4000/graphql TOKEN=$(npm run --silent token -- --role SUPERVISOR --prefecture 13) \
 *     npx tsx examples/integrator-client.ts 11111111-1111-4111-8111-000000000001
 */
import { HolderCardDocument, RecordImportsDocument, RenkeiClient, RenkeiRequestError } from '../packages/client/src/index.js';

const holderId = process.argv[2] ?? '11111111-1111-4111-8111-000000000001';
const token = process.env.TOKEN;
if (!token) {
  console.error('set TOKEN to a bearer token (npm run --silent token -- --role SUPERVISOR --prefecture 13)');
  process.exit(2);
}
const renkei = new RenkeiClient({
  url: process.env.GQL ?? 'http://localhost:4000/graphql',
  token,
  purpose: 'HOLDER_INQUIRY',
  identityVerification: 'MYNA_CARD_FACE',
});

try {
  const { data, errors } = await renkei.request(HolderCardDocument, { id: holderId });
  const holder = data.holder;
  if (!holder) {
    console.log(`no holder ${holderId}${errors.length ? ` (${errors.map((e) => e.extensions?.code).join(', ')})` : ''}`);
  } else {
    console.log(`${holder.name}: ${holder.holdingForm}`);
    const { honsekiOnlineChange, addressOneStop } = holder.eligibility;
    console.log(`本籍オンライン変更: ${honsekiOnlineChange.eligible ? '可' : '不可'}${honsekiOnlineChange.reasons.map((r) => ` — ${r.message}`).join('')}`);
    console.log(
      `住所変更ワンストップサービス等: ${
        addressOneStop.items
          .filter((i) => i.autoUpdate)
          .map((i) => i.item)
          .join(', ') || 'なし'
      }`,
    );
    // A field this role may not read is null with FORBIDDEN; the rest of the card is still there.
    for (const e of errors) console.log(`(${e.path?.join('.')}: ${e.extensions?.code})`);
  }

  let failed = 0;
  const imports = renkei.pages((after) =>
    renkei
      .request(RecordImportsDocument, { filter: { status: 'FAILED' }, first: 2, after }, { purpose: 'IMPORT_CORRECTION' })
      .then((r) => r.data.recordImports),
  );
  for await (const imp of imports) {
    failed++;
    console.log(`取込失敗: ${imp.item} ${imp.failureReason} (${imp.effectiveOn})`);
  }
  console.log(`failed imports: ${failed}`);
} catch (e) {
  if (e instanceof RenkeiRequestError) {
    console.error(`refused: ${e.code} (HTTP ${e.status})`);
    process.exit(1);
  }
  throw e;
}
