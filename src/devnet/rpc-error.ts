/**
 * A JSON-RPC error answer. Codes and wording follow a Substrate node where one exists, so
 * that a client's error handling meets the same messages here as on a real node.
 */
export class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = 'RpcError';
  }
}

export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
/** Substrate's code for client (state) errors: a pruned or unknown block, a failed runtime call. */
export const CLIENT_ERROR = 4003;
/** Substrate's code for a count over the allowed maximum (state_getKeysPaged). */
export const INVALID_COUNT = 4002;

export function invalidParams(message: string): RpcError {
  return new RpcError(INVALID_PARAMS, `Invalid params: ${message}`);
}
