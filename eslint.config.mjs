import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      ".data/**",
      "lib/db/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "e2e/artifacts/**",
    ],
  },
  ...nextVitals,
  ...nextTs,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // An un-awaited query escapes its transaction and its error handling.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // Error codes and enums are closed unions: every switch must handle all of them.
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The domain never knows about HTTP frameworks.
    files: ["lib/**/*.ts"],
    ignores: ["lib/http/**", "lib/auth/**", "lib/i18n/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*"], message: "Domain modules must not import next/*." },
            {
              group: ["@/lib/http/*"],
              message: "Domain modules take parsed input and throw DomainError; the route parses and maps errors.",
            },
            {
              group: ["@/testing/*", "@/scripts/*", "@/prisma/*", "@/app/*", "@/components/*"],
              message: "lib/ is the product: tooling, the seed and the UI depend on it, never the reverse.",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests may use the shared test support; the rest of lib/ may not.
    files: ["lib/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["next", "next/*"], message: "Domain modules must not import next/*." }] },
      ],
    },
  },
  {
    // Pages, actions and route handlers call the domain; they never query the database themselves.
    files: ["app/**/*.ts", "app/**/*.tsx", "components/**/*.ts", "components/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/db/client", "@/lib/db/generated/client", "@prisma/*", "stripe"],
              message: "Call a lib/ domain function instead.",
            },
          ],
        },
      ],
    },
  },
);
