import { fileURLToPath } from 'node:url';
import { defineSubgraph } from '../../lib/subgraph-definition.js';
import { createDriverLoaders, type DriverContext } from './context.js';
import { resolvers } from './resolvers.js';
import { accessRecords } from './tables.js';

export const driverSubgraph = defineSubgraph<DriverContext>({
  name: 'driver',
  dbSchema: 'driver',
  migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)),
  accessRecords,
  resolvers,
  extendContext: (base, settings) => ({ ...base, loaders: createDriverLoaders(base.db), maxAddressLength: settings.maxAddressLength }),
});
