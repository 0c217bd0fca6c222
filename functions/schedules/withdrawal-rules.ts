/** Evaluates every enabled automatic withdrawal rule; each firing due is claimed once and requested as a withdrawal (its workflow does the paying). */
import { evaluateRules } from '../../shared/app/withdrawal-rules';
import { schedule } from '../kit/schedule';

export const handler = schedule('withdrawal-rules', (deps, now) => evaluateRules(deps, now));
