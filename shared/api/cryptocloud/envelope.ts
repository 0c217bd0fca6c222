/** CryptoCloud's envelopes: `{"status":"success","result":…}` and `{"status":"error","result":{field: message}}`. */
export const success = (result: unknown) => ({ status: 'success' as const, result });
export const failure = (result: Record<string, string>) => ({ status: 'error' as const, result });
