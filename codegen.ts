// GraphQL Code Generator: typed documents (client preset) from the committed schema.graphql and
// the operations written with `graphql(...)` in the desk (web/), the client examples (examples/)
// and the tests, all generated into one shared folder, gql/. Run: npm run codegen
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['web/src/**/*.ts', 'examples/**/*.ts', 'test/**/*.ts', '!test/gql/**', '!gql/**'],
  // ESM with NodeNext resolution: generated imports carry their .js extension
  emitLegacyCommonJSImports: false,
  generates: {
    'gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Decimal: 'string', DateTime: 'string' },
      },
    },
    // which types each union and interface can be: Apollo Client's cache needs it to match
    // `... on ValidationError` inside a union (examples/apollo-client.ts)
    'gql/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
  },
};

export default config;
