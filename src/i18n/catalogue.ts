import type { id } from './id.js';

/** The message keys are the Indonesian catalogue's; every other catalogue has each of them. */
export type MessageKey = keyof typeof id;
export type Catalogue = Record<MessageKey, string>;
