// The generated documents and types live in the shared gql/ folder (npm run codegen); tests may
// import them from here as before.
export * from '../../gql/index.js';
