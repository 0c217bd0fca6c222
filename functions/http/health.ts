/** Lambda entry for `GET /health`: answers without configuration (its function is given none). */
import { bareGroup } from '../kit/http';

// `request: {}`: it reads nothing (OpenAPI, lib/openapi).
export const handler = bareGroup([{ route: 'health', answer: () => ({ status: 'ok' }), request: {} }]);
