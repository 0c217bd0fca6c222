/** Lambda entry of the observations queue: the crediting consumer (shared/app/crediting.ts). */
// Reads EVM and Tron chains: every observation is checked against the chain it names.
import '../kit/chains-evm';
import '../kit/chains-tron';
import { parseObservation } from '../../shared/api/messages/observation';
import { handleObservation } from '../../shared/app/crediting';
import { consumer } from '../kit/sqs';

export const handler = consumer('observations', parseObservation, handleObservation);
