import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** Answers by field nodes: every entity of one `_entities` call (up to 500) asks about the same selection. */
const answered = new WeakMap<readonly FieldNode[], Map<string, readonly string[]>>();

/**
 * The fields of `typeName` a request selects under the current field (through inline fragments and named
 * fragments too): what the access record lists as read. Keys and __typename are left out.
 */
export function selectedFields(info: GraphQLResolveInfo, typeName: string): readonly string[] {
  let byType = answered.get(info.fieldNodes);
  if (!byType) answered.set(info.fieldNodes, (byType = new Map()));
  let fields = byType.get(typeName);
  if (!fields) byType.set(typeName, (fields = collect(info, typeName)));
  return fields;
}

function collect(info: GraphQLResolveInfo, typeName: string): readonly string[] {
  const out = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value !== '__typename' && s.name.value !== 'id') out.add(s.name.value);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (!s.typeCondition || s.typeCondition.name.value === typeName) visit(s.selectionSet);
      } else {
        const f = info.fragments[s.name.value];
        if (f && f.typeCondition.name.value === typeName) visit(f.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return [...out].sort();
}
