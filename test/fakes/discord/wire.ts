/** Raw Discord JSON as it travels on the wire; the fake checks shapes by behaviour, not by type. */
// biome-ignore lint/suspicious/noExplicitAny: wire JSON
export type Raw = any;

/** A user the fake Discord knows. */
export interface FakeUser {
  id: string;
  username: string;
}
