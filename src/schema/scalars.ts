// Decimal and DateTime. Decimal is a string on the wire in both directions so that no amount
// ever passes through a float; its format is checked by the engine, which knows each token's
// decimals and answers with a ValidationError that names the field.
import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.js';

const decimalInput = (value: unknown, sentAs: string): string => {
  if (typeof value === 'string') return value;
  throw new GraphQLError(`Decimal must be a string such as "1.5" (${sentAs})`);
};

builder.scalarType('Decimal', {
  description: 'An exact decimal number, serialized as a string: "1.5"',
  serialize: (value) => value,
  parseValue: (value) => decimalInput(value, 'a JSON number would lose precision'),
  parseLiteral: (ast) => decimalInput(ast.kind === Kind.STRING ? ast.value : undefined, `write it in quotes in the query: ${ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? 'a number' : 'only a string'} is not a Decimal`),
});

const dateInput = (value: unknown): Date => {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO-8601 string');
  return date;
};

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO-8601 string',
  serialize: (value) => new Date(value as Date | string).toISOString(),
  parseValue: dateInput,
  parseLiteral: (ast) => dateInput(ast.kind === Kind.STRING ? ast.value : undefined),
});
