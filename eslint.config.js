// @ts-check
// ESLint for the whole workspace. TypeScript files get typescript-eslint's type-aware rules
// (recommendedTypeChecked), so promises nobody awaits, promises handed to callbacks that ignore them
// and `any` leaking out of JSON.parse are caught; the client also gets the React hooks rules. Layout is
// Prettier's job: eslint-config-prettier comes last and switches off every rule that would fight it.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Build output, installed tools, runtime data and generated results are not source.
  globalIgnores(['**/dist/', '.tools/', 'data/', 'server/data/', 'bench/results/', 'test-results/']),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // Each file is checked with the types of its package's own tsconfig.json.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `async` without `await` is how a synchronous implementation (better-sqlite3, the in-memory stores,
      // test fakes) fulfils an interface that returns a Promise, and it turns a throw into a rejection
      // that the caller's await handles; the rule would have those rewritten with Promise.resolve.
      '@typescript-eslint/require-await': 'off',
      // Yjs implements toString() on Y.Text and the XML types, but its declarations leave it out, so the
      // rule would take every `${ytext}` for '[object Object]'. The first four are the rule's defaults.
      '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', 'YText', 'YXmlFragment', 'YXmlElement'] }],
      // A leading underscore marks a parameter kept for its position (Express's four-argument error
      // handler, a callback's unused first argument) or a value left out of a rest destructuring.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      // `import { z } from 'zod'` takes zod's namespace as one value, which a bundler cannot shake: the
      // server's bundle then carried all of zod with its 63 locales into the chunk its settings check
      // loads first (758 KB against 203 KB; docs/performance.md, "Start-up, 2026-11-29 (night): bundled server").
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
          message: "Use `import * as z from 'zod'` (lets the bundler keep only what is used).",
        },
      ],
    },
  },

  // Tests read response bodies and socket payloads as `any` on purpose: every read is an assertion
  // (expect), and a wrong shape fails the test where a type would only restate it. The promise rules stay
  // on in tests, where an unawaited assertion passes silently.
  {
    files: ['test/src/**/*.ts', '**/*.test.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // Plain JavaScript (the bootstrap, scripts, benchmarks) is in no TypeScript project: syntax rules only.
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },

  // The browser app: React's rules of hooks, and dependencies of effects and memos listed in full.
  {
    files: ['client/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // Props, context values and hook results are plain functions that components destructure; as
      // property signatures they are checked contravariantly and unbound-method has nothing to flag.
      '@typescript-eslint/method-signature-style': ['error', 'property'],
      // The app mounts <BrowserRouter> (declarative mode): navigate() there changes the location and
      // returns nothing. The Promise in its type is for data routers, which this app does not use.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'react-router', name: 'NavigateFunction' }] }],
    },
  },

  prettier,
);
