// One linter for the TypeScript of every room (src/, train/, test/, bench/): typescript-eslint's recommended rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'scratch/', 'test-results/', 'model-artifacts/', 'node_modules/', '.wrangler/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_` names what a destructuring leaves out on purpose ({ vocabulary: _, ...rest }).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  // Tests read parsed JSON bodies freely; their shape is what the assertions check.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
