import { customType } from 'drizzle-orm/pg-core';
import { activeKeyRing, openingKeyRing } from './ring.js';
import { seal, unseal } from './seal.js';

/**
 * A text column holding customer data sealed with AES-256-GCM (seal.ts). drizzle maps every value
 * written and read through here, so every insert, update, select and `returning()` on the column
 * seals and opens by construction: no query above the store sees or writes ciphertext, and none
 * can forget to seal. The empty string stays empty (an erased value). A plaintext value left
 * in the column (a migration not run) is refused rather than passed on.
 * Equality in SQL cannot work on it (a fresh IV each time): look customers up by `customer_index`.
 */
export const encryptedText = (name: string) =>
  customType<{ data: string; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => (value === '' ? '' : seal(activeKeyRing(), name, value)),
    fromDriver: (value) => (value === '' ? '' : unseal(openingKeyRing(), name, value)),
  })(name);
