import tseslint from 'typescript-eslint';

// Domain code stays pure: no AWS SDK, Kafka client, middy or Lambda types.
export const domainRestrictedImports = ['@aws-sdk/*', 'kafkajs', '@middy/*', 'aws-lambda'];

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
    files: ['**/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: domainRestrictedImports.map((group) => ({
            group: [group],
            message: 'src/domain is pure: it may not import AWS, Kafka, middy or Lambda packages.',
          })),
        },
      ],
    },
  },
);
