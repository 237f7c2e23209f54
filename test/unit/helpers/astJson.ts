// An AST as JSON with every lazy function body converted, so two parses of the same text compare as strings.
export const astJson = (stmts: unknown): string =>
  JSON.stringify(stmts, (_k, v: unknown) =>
    v && typeof v === 'object' && typeof (v as { get?: unknown }).get === 'function' ? { body: (v as { get(): unknown }).get() } : v,
  );
