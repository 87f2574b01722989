import { getOperationAST, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';

/** Holder ids one request may name, over all its `holders` fields together (API.md: up to 500 at once). */
export const MAX_HOLDER_IDS_PER_REQUEST = 500;

/**
 * What one holder id weighs in the request cost limit (LIMIT_MAX_COST): an object fetched, as graphql-armor weighs an
 * object field. 500 ids take 1,000 of the default 5,000.
 */
export const HOLDER_ID_COST = 2;

/** How many items a list argument holds: a literal list's items, a variable's value, or a single value coerced to one. */
function itemsIn(value: ValueNode | undefined, variables: Record<string, unknown>, defaults: Map<string, ValueNode>): number {
  if (!value || value.kind === Kind.NULL) return 0;
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const name = value.name.value;
    if (!(name in variables)) return itemsIn(defaults.get(name), variables, defaults);
    const given = variables[name];
    return Array.isArray(given) ? given.length : given === null || given === undefined ? 0 : 1;
  }
  return 1;
}

/**
 * The holder ids a query operation names, over every `holders` field at its root (aliases, inline fragments and
 * fragment spreads included), from literal lists and from the variables' values alike. Fields that share a response
 * key are one field (GraphQL merges them), so each key counts once; `@skip`/`@include` are not evaluated, which can
 * only count more.
 */
export function holderIdsRequested(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation?.operation !== 'query') return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const defaults = new Map<string, ValueNode>();
  for (const v of operation.variableDefinitions ?? []) if (v.defaultValue) defaults.set(v.variable.name.value, v.defaultValue);
  const byKey = new Map<string, number>();
  const spread = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value !== 'holders') continue;
        const ids = itemsIn(s.arguments?.find((a) => a.name.value === 'ids')?.value, variables ?? {}, defaults);
        const key = s.alias?.value ?? s.name.value;
        byKey.set(key, Math.max(byKey.get(key) ?? 0, ids));
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        walk(s.selectionSet);
      } else {
        const fragment = fragments.get(s.name.value);
        if (fragment && !spread.has(fragment.name.value)) {
          spread.add(fragment.name.value);
          walk(fragment.selectionSet);
        }
      }
    }
  };
  walk(operation.selectionSet);
  let total = 0;
  for (const n of byKey.values()) total += n;
  return total;
}
