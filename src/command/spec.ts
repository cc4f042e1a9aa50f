import type { Core } from '../app.js';
import type { DomainError } from '../domain/errors.js';
import type { Actor, Role } from '../domain/roles.js';
import type { SourceMessage } from '../domain/source-message.js';
import type { Locale, MessageKey, Translate } from '../i18n/index.js';
import type { Reply } from '../reply.js';

export interface OptionSpec {
  /** The key in the ⚓ grammar (`layanan=…`), also the Discord option name. */
  name: string;
  kind: 'string' | 'choice' | 'yes';
  choices?: readonly string[];
  /** Other words accepted for a choice (English, short forms); shown nowhere, mapped to the choice. */
  aliases?: Readonly<Record<string, string>>;
  required?: boolean;
  description: MessageKey;
  /**
   * The option's name where the grammar's positionals are options too (Discord's `tiket`): a key
   * that shares a positional's name (`tutup … kode=DUPLIKAT tiket=…`) needs another name there.
   */
  nativeName?: string;
}

/** The positional parts of the grammar; Discord renders them as the options `tiket`, `pengguna`, `peran`, `teks`. */
export interface Positionals {
  ticket?: 'required';
  user?: 'required';
  role?: { choices: readonly string[] };
  text?: 'optional' | 'required';
}

export interface BoundInput {
  ticket?: string;
  /** A user key (platform:id) from a mention or a bare id. */
  user?: string;
  role?: string;
  text?: string;
  options: Record<string, string>;
}

export interface CommandContext {
  /** The team's core: what it writes to channels and threads is in POSKO_LOCALE, for everyone. */
  core: Core;
  actor: Actor;
  platform: string;
  channel: string;
  /** The caller's own language, for the private answer (roster `bahasa=`, else the platform's, else POSKO_LOCALE). */
  t: Translate;
  locale: Locale;
  /** The core as the caller reads it (their `t` and `locale`): for read-only answers built by services. */
  viewer: Core;
  /** Every command of the surface (`bantuan` lists and explains them; passed in, not imported, so the registry does not import itself). */
  commands: readonly CommandSpec[];
  /** The chat message the command was started from (a ticket from a message), as the platform gave it. */
  source?: SourceMessage;
}

export interface CommandSpec {
  name: string;
  description: MessageKey;
  /** Who may run it; `null` = people not on the roster (only `bantuan`). */
  roles: readonly (Role | null)[];
  positionals: Positionals;
  options: readonly OptionSpec[];
  /**
   * `buka`: with options missing, adapters that can show a form offer one, and the service
   * validates each field itself (naming it), so the binder does not insist on required options.
   */
  intakeForm?: boolean;
  /**
   * More checks of the bound options, answered together with the binder's own (an incomplete
   * `buka` names every missing or invalid key at once); an option already refused is not repeated.
   */
  validate?(options: Readonly<Record<string, string>>, platform: string): DomainError[];
  /** Changes nothing: a redelivery is claimed up front and answered once. */
  readOnly?: boolean;
  /** Example line for `bantuan`, in the grammar (without "/tiket "). */
  example: string;
  handler(ctx: CommandContext, input: BoundInput): Promise<Reply[]>;
}

export const ALL_ROLES: readonly (Role | null)[] = ['agent', 'team_leader', 'supervisor'];
export const HANDLERS: readonly Role[] = ['agent', 'team_leader', 'supervisor'];
export const LEADERS: readonly Role[] = ['team_leader', 'supervisor'];

export const defineCommand = (spec: CommandSpec): CommandSpec => spec;
