import type { Db } from './database.js';

/**
 * A read whose statement drizzle builds once per database handle, run each time with its placeholder values.
 * Built per call, drizzle spent about as much CPU turning a HolderCard's reads into SQL text (entity checks, column
 * lists, escaping) as the rest of the subgraph's own work on the call, though the text never changes: a list goes as
 * one array parameter (`inArrayPlaceholder`). Kept per handle because a prepared query belongs to the handle's
 * session; a transaction's handle is new each time and builds its own, as an unprepared query would.
 */
export function builtOnce<Q>(build: (db: Db) => Q): (db: Db) => Q {
  const built = new WeakMap<Db, Q>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
