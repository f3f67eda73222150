import fc from 'fast-check';
import type { z } from 'zod';

/** A special generator for a named string or number field (ids, card numbers…), or null for the default. */
export type FieldHook = (key: string, type: 'string' | 'number') => fc.Arbitrary<unknown> | null;

interface ZodInternals {
  def: {
    type: string;
    shape?: Record<string, z.ZodType>;
    innerType?: z.ZodType;
    element?: z.ZodType;
    valueType?: z.ZodType;
    options?: z.ZodType[];
    entries?: Record<string, string>;
    values?: unknown[];
    in?: z.ZodType;
    out?: z.ZodType;
  };
  bag: { minimum?: number; maximum?: number; exclusiveMinimum?: number; patterns?: Set<RegExp>; format?: string };
}

const internals = (schema: z.ZodType) => (schema as unknown as { _zod: ZodInternals })._zod;

/**
 * Values shaped like `schema` accepts: keys, types, enums and bounds come from the schema,
 * so a new field or method is fuzzed without touching the fuzzer. Refinements are not
 * followed (the server must answer those with a 4xx anyway). Strings and arrays stay short
 * so time goes to the server, not the generator.
 */
export function arbitraryFor(schema: z.ZodType, hook: FieldHook, key = ''): fc.Arbitrary<unknown> {
  const { def, bag } = internals(schema);
  switch (def.type) {
    case 'object': {
      const shape = def.shape ?? {};
      return fc.record(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, arbitraryFor(v, hook, k)])));
    }
    case 'string': {
      const special = hook(key, 'string');
      if (special) return special;
      const pattern = bag.patterns && [...bag.patterns][0];
      if (pattern) return fc.stringMatching(pattern);
      if (bag.format === 'email') return fc.constantFrom('someone@example.com', 'x@y.z');
      if (bag.format === 'datetime') return fc.constant(new Date(Date.now() + 3_600_000).toISOString());
      if (bag.format === 'url') return fc.constant('https://example.com/a.jpg');
      const minLength = bag.minimum ?? 0;
      return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(bag.maximum ?? 24, 24)) });
    }
    case 'number': {
      const special = hook(key, 'number');
      if (special) return special;
      const integer = bag.format === 'safeint' || bag.format === 'int32';
      const min = Math.max(bag.minimum ?? -1e6, bag.exclusiveMinimum !== undefined ? bag.exclusiveMinimum + 1 : -1e6);
      const max = Math.min(bag.maximum ?? 1e6, 1e9);
      if (!integer) return fc.double({ min, max, noNaN: true });
      // Mostly near the lower bound, where prices, seqs and options live; sometimes anywhere.
      return fc.oneof({ arbitrary: fc.integer({ min, max: Math.min(max, min + 2_000) }), weight: 3 }, { arbitrary: fc.integer({ min, max }), weight: 1 });
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case 'literal':
      return fc.constantFrom(...(def.values ?? []));
    case 'optional':
    case 'default':
      return fc.option(arbitraryFor(def.innerType!, hook, key), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(arbitraryFor(def.innerType!, hook, key), { nil: null, freq: 3 });
    case 'array': {
      const minLength = bag.minimum ?? 0;
      const element = arbitraryFor(def.element!, hook, key.replace(/s$/, ''));
      return fc.array(element, { minLength, maxLength: Math.max(minLength, Math.min(bag.maximum ?? 4, 4)) });
    }
    case 'record':
      return fc.dictionary(fc.string({ maxLength: 12 }), arbitraryFor(def.valueType!, hook), { maxKeys: 3 });
    case 'union':
      return fc.oneof(...(def.options ?? []).map((o) => arbitraryFor(o, hook, key)));
    case 'pipe':
      // A transform's output schema says nothing about the input; a plain pipe's output is the stricter shape.
      return internals(def.out!).def.type === 'transform' ? arbitraryFor(def.in!, hook, key) : arbitraryFor(def.out!, hook, key);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
