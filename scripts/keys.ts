// API keys from the command line, on DATABASE_URL or, when it is unset, the embedded PostgreSQL of
// `npm start` (started for the occasion and stopped afterwards; migrated first if need be).
//   npm run keys:create -- --account NAME    creates the account if needed; the key is the last line
//   npm run keys:revoke -- KEY                 the key stops working on its next request
import { parseArgs } from 'node:util';
import { AccountStore } from '../src/accounts/account-store.js';
import { startDatabase } from '../src/infra/bootstrap.js';
import { applyMigrations } from '../src/infra/migrate.js';
import { createDatabase } from '../src/infra/prisma.js';

const USAGE = 'usage: npm run keys:create -- --account NAME\n       npm run keys:revoke -- KEY';

const [command, ...rest] = process.argv.slice(2);
/** The arguments, or the usage and exit code 2 (parseArgs throws on `--account` without a value, or an unknown option). */
function parsedOrUsage() {
  try {
    const { values, positionals } = parseArgs({ args: rest, options: { account: { type: 'string' } }, allowPositionals: true });
    if ((command === 'create' && values.account?.trim() && positionals.length === 0) || (command === 'revoke' && positionals.length === 1 && !values.account)) {
      return { values, positionals };
    }
  } catch {
    // as for any other wrong call
  }
  console.error(USAGE);
  process.exit(2);
}
const { values, positionals } = parsedOrUsage();

const database = await startDatabase({ log: (line) => console.error(line) });
const db = createDatabase(database.databaseUrl, { max: 1 });
try {
  await applyMigrations(database.databaseUrl);
  const accounts = new AccountStore(db);
  if (command === 'create') {
    const issued = await accounts.issueKey(values.account!.trim());
    console.log(`Created API key ${issued.prefix}… for account "${issued.accountName}". It is shown once, here; store it now:`);
    console.log(issued.key);
  } else if (await accounts.revokeKey(positionals[0]!)) {
    console.log('Revoked: the key is refused from its next request on.');
  } else {
    process.exitCode = 1;
    console.error('No such key, or it was already revoked.');
  }
} catch (error) {
  process.exitCode = 1;
  console.error(error instanceof Error ? error.message : error);
} finally {
  await db.prisma.$disconnect();
  await database.stop();
}
// the schema engine loaded by applyMigrations leaves a timer running
process.exit();
