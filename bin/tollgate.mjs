#!/usr/bin/env node
// The CLI is TypeScript; tsx (a dependency) compiles it on the fly, so `npx tollgate` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../lib/cli/main.ts');
