
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "Error": [
      "IdempotencyConflictError",
      "RateLimitedError",
      "ValidationError"
    ],
    "ExecuteMarketOrderResult": [
      "ExecuteMarketOrderSuccess",
      "IdempotencyConflictError",
      "RateLimitedError",
      "ValidationError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "Error": [
      "IdempotencyConflictError",
      "RateLimitedError",
      "ValidationError"
    ],
    "ExecuteMarketOrderResult": [
      "ExecuteMarketOrderSuccess",
      "IdempotencyConflictError",
      "RateLimitedError",
      "ValidationError"
    ]
  }
};
      export default result;
    