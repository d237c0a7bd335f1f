// The generated schema and operation types live in the shared gql/ folder (npm run codegen).
export * from '../../gql/graphql.js';
