/** The caps of the wire contract, shared by schemas and use cases. */
export const INFO_IDS_MAX_WIRE = 100;
