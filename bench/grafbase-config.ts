/**
 * Grafbase's gateway over the graph by hand, as the gateway-alone benchmark runs it:
 * `npx tsx bench/grafbase-config.ts DIR URLS_JSON` fetches the binary into the cache if it is not there yet, writes
 * DIR/grafbase.toml and the schemas as Grafbase composes them (bench/support/grafbase.ts says what changes and why),
 * and prints the command that serves it. URLS_JSON maps each subgraph's name to its URL, as the gateway takes it.
 */
import { resolve } from 'node:path';
import { grafbaseBinary, writeGrafbaseConfig } from './support/grafbase.js';

const [dir, urls] = process.argv.slice(2);
if (!dir || !urls) {
  console.error('usage: npx tsx bench/grafbase-config.ts DIR \'{"driver":"http://…","consent":"http://…","portal-link":"http://…"}\'');
  process.exit(2);
}
writeGrafbaseConfig(resolve(dir), JSON.parse(urls) as Record<string, string>);
console.log(`cd ${resolve(dir)} && ${grafbaseBinary()} dev -c grafbase.toml -p 4400`);
