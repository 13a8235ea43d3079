import { defineConfig } from 'drizzle-kit';

// The database lib owns the core tables; each lib may own more in `*.tables.ts` files. One migration
// folder for all of them, applied at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./libs/database/src/schema.ts', './libs/*/src/**/*.tables.ts'],
  out: './libs/database/migrations',
});
