/** Reads each served chain's resource prices and stores them: invoices' network fees are the estimated sweep cost at them. */
import { refreshNetworkFees } from '../../shared/app/network-fees';
import { networkFeeRefreshDeps } from '../kit/network-fees';
import { schedule } from '../kit/schedule';

export const handler = schedule('network-fees', async () => refreshNetworkFees(networkFeeRefreshDeps()));
