// Lint of the TypeScript sources, tests, lab, toolchain and bench. Formatting is prettier's job
// (eslint-config-prettier turns off the rules that would fight it). `npm run lint` runs both.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'cdktf.out/', '.lab/', 'coverage/', 'bench/out/', 'src/config/types.ts', '**/*.js', '**/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      // Terraform expressions are written as plain strings: '${self.triggers.host}'.
      'no-template-curly-in-string': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['__tests__/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Synthesized JSON is read as `any` in assertions.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
