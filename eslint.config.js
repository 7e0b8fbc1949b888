import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Domain code stays pure: no AWS SDK, Kafka client, middy or Lambda types.
export const domainRestrictedImports = ['@aws-sdk/*', 'kafkajs', '@middy/*', 'aws-lambda'];
// Packages whose values reach AWS, Kafka or middy: domain code may import their types only.
export const domainAdapterPackages = ['@mxflow/store', '@mxflow/middleware', '@mxflow/runtime'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.serverless/**', '**/.esbuild/**', '.mxflow/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
    },
  },
  {
    // CommonJS files (serverless and esbuild plugins, which their hosts require()) load their modules with require().
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The console's React code: the rules of hooks, so that effects name what they depend on.
    files: ['packages/console/**/*.tsx', 'packages/console/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['**/src/domain/**/*.ts'],
    rules: {
      // Types of the ports (@mxflow/store, @mxflow/middleware) are allowed; their
      // values would bring the AWS SDK and middy in through the back door.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...domainRestrictedImports.map((group) => ({
              group: [group],
              message: 'src/domain is pure: it may not import AWS, Kafka, middy or Lambda packages.',
            })),
            ...domainAdapterPackages.map((group) => ({
              group: [group],
              allowTypeImports: true,
              message: 'src/domain may use the types of the ports, not the adapters: import type { … }.',
            })),
          ],
        },
      ],
    },
  },
);
