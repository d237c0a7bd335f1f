// Imports every domain of the schema and builds it.
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './order.js';
import './execute-market-order.js';
import './order-status.js';
import './simulated-swap.js';

export function buildSchema() {
  return builder.toSchema({ sortSchema: false });
}
