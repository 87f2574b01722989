import { refusalsOf, type Refuse } from '../../lib/platform/graphql/mutation.js';

/** Every code a driver mutation refuses with (its payload's userErrors); programs branch on these, never on messages. */
export type DriverRefusal = 'INVALID_INPUT' | 'FORBIDDEN' | 'HOLDER_NOT_FOUND' | 'LICENSE_NUMBER_TAKEN' | 'IMPORT_NOT_RESOLVABLE';

// Typed where declared, so that TypeScript knows a call ends the procedure (`if (!x) refuse(…)` narrows x).
export const refuse: Refuse<DriverRefusal> = refusalsOf<DriverRefusal>();
