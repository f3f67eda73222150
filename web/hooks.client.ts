import { z } from 'zod';

// zod compiles object parsers with `new Function` when it may, and probes for that the first time a
// schema is built. The page's CSP forbids eval, so the probe only produces a violation report:
// interpret instead (the same parse). This module runs before any page module builds a schema.
z.config({ jitless: true });
