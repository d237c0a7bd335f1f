// Expected failures are data: each is a type in a mutation's result union.
import { IdempotencyConflictError, OrderValidationError, StoreUnavailableError } from '../engine/errors.js';
import { RateLimitedError } from '../security/rate-limiter.js';
import { builder } from './builder.js';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'A failure the client can act on',
  fields: (t) => ({ message: t.exposeString('message') }),
});

const FieldErrorType = builder.objectRef<{ path: string[]; message: string }>('FieldError').implement({
  description: 'What is wrong with one input field',
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'e.g. ["input", "amountIn"]' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(OrderValidationError, {
  name: 'ValidationError',
  description: 'The input is invalid; nothing was stored',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    fieldErrors: t.field({ type: [FieldErrorType], resolve: (error) => error.fieldErrors }),
  }),
});

builder.objectType(IdempotencyConflictError, {
  name: 'IdempotencyConflictError',
  description: 'The clientOrderId was already used for an order with different input; nothing was stored',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    clientOrderId: t.exposeString('clientOrderId'),
    existingOrderId: t.exposeID('existingOrderId'),
  }),
});

builder.objectType(StoreUnavailableError, {
  name: 'ServiceUnavailableError',
  description:
    'The order store is unreachable for a moment. Unless orderId is set, nothing was stored: retry after retryAfterMs, with the same clientOrderId',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    retryAfterMs: t.exposeInt('retryAfterMs'),
    orderId: t.exposeID('orderId', {
      nullable: true,
      description:
        'Set when the store went away while this order was being written: it may have been stored under this id, and would then execute. ' +
        'Once the service is back, look it up with order(id) or resend with the same clientOrderId (never a second order) before placing it again',
    }),
  }),
});

builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  description: 'This API key sent more orders than its rate limit allows; nothing was stored',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    retryAfterMs: t.exposeInt('retryAfterMs', { description: 'when the next order will be accepted, in milliseconds from now' }),
  }),
});
