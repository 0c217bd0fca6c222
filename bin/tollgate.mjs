#!/usr/bin/env node
// The CLI is TypeScript; tsx (a dependency) compiles it on the fly. Run it from the clone with `npm run cli --` or
// `npx --no-install tollgate` (a bare `npx tollgate` outside the clone fetches another package from the public registry).
import { register } from 'tsx/esm/api';

register();
await import('../lib/cli/main.ts');
