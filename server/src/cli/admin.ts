// `npm run admin -- create-user --email E --name N [--role coordinator|host]`
// Creates a staff account from the server's shell. The password is read from the environment
// variable TUPA_ADMIN_PASSWORD, or else from the first line of standard input, so it never
// appears in the shell history or the process list.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DuplicateEmailError, openDatabase } from '@tupa/db';
import { z } from 'zod';
import { oneLineText } from '@tupa/signaling/protocol';
import { hashPassword, PASSWORD_RULES } from '../auth/passwords.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';

const USAGE = 'usage: npm run admin -- create-user --email <email> --name <display name> [--role coordinator|host]';

async function readPassword(): Promise<string> {
  const fromEnv = process.env.TUPA_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write(`Password (at least ${PASSWORD_RULES.minLength} characters): `);
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'coordinator' } },
  });
  if (positionals[0] !== 'create-user') {
    console.error(USAGE);
    return 2;
  }
  const input = z
    .object({
      email: z.string().trim().pipe(z.email()),
      // The same rule as the staff API's (names in every script, no control characters).
      name: oneLineText({ min: 1, max: 80 }),
      role: z.enum(['coordinator', 'host']),
    })
    .safeParse(values);
  if (!input.success) {
    console.error(`${input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}\n${USAGE}`);
    return 2;
  }
  const password = await readPassword();
  if (password.length < PASSWORD_RULES.minLength || password.length > PASSWORD_RULES.maxLength) {
    console.error(`The password must have ${PASSWORD_RULES.minLength} to ${PASSWORD_RULES.maxLength} characters.`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger('warn');
  let db;
  try {
    db = await openDatabase({
      ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
      dataDir: `${config.dataDir}/postgres`,
      embeddedPort: config.embeddedPostgresPort,
      logger,
    });
  } catch (error) {
    console.error(
      'Could not open the database. If Tupa is running with its embedded database, stop it first ' +
        'or create the first account on the setup page.\n' + String((error as Error).message),
    );
    return 1;
  }
  try {
    const staff = await db.staff.create({
      email: input.data.email,
      displayName: input.data.name,
      role: input.data.role,
      passwordHash: await hashPassword(password),
    });
    await db.audit.record(null, 'staff.create.cli', staff.id);
    console.log(`Created ${staff.role} ${staff.email}.`);
    return 0;
  } catch (error) {
    if (error instanceof DuplicateEmailError) {
      console.error('An account with this email exists already.');
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
