/** `npm run docs:openapi`: writes the OpenAPI document (lib/openapi/spec.ts) where it is committed and served from. */
import { writeFileSync } from 'node:fs';
import { OPENAPI_FILE, openApiText } from './spec';

writeFileSync(OPENAPI_FILE, openApiText());
process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
