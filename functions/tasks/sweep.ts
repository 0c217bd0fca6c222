/** Placeholder so the manifest, the stack and the local runtime have this entry; the integrator replaces it (funds-out issue 13). */
export const handler = async (_event: unknown): Promise<never> => {
  throw new Error('sweep: not implemented yet');
};
