/**
 * The fixed POSKO_DATA_KEY of every test core and process: PostgreSQL requires a key, and a
 * fixed one lets a second instance (or a restarted process) open what the first one sealed.
 */
export const TEST_DATA_KEY = Buffer.alloc(32, 7).toString('base64');
