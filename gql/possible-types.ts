
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "Error": [
      "IdempotencyConflictError",
      "RateLimitedError",
      "ServiceUnavailableError",
      "ValidationError"
    ],
    "ExecuteMarketOrderResult": [
      "ExecuteMarketOrderSuccess",
      "IdempotencyConflictError",
      "RateLimitedError",
      "ServiceUnavailableError",
      "ValidationError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "Error": [
      "IdempotencyConflictError",
      "RateLimitedError",
      "ServiceUnavailableError",
      "ValidationError"
    ],
    "ExecuteMarketOrderResult": [
      "ExecuteMarketOrderSuccess",
      "IdempotencyConflictError",
      "RateLimitedError",
      "ServiceUnavailableError",
      "ValidationError"
    ]
  }
};
      export default result;
    