/** Lambda entry for `GET /health`: answers without configuration (its function is given none). */
import { bareGroup } from '../kit/http';

export const handler = bareGroup([{ route: 'health', answer: () => ({ status: 'ok' }) }]);
