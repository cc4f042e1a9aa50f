/**
 * The ⚓ grammar: `<subcommand> [ticket] [key=value | key="quoted value"] … [free text]`.
 * Tokenising knows nothing of commands; binding (bind.ts) checks a token list against a spec.
 */
export interface Token {
  /** Set for `key=value` tokens (key lower-cased). */
  key?: string;
  value: string;
  quoted: boolean;
}

export interface ParsedLine {
  name: string;
  tokens: Token[];
}

const KEY = /^([A-Za-z][A-Za-z_]*)=/;

/** Splits on whitespace, honouring "double", “curly” and 'single' quotes; never throws. */
export function tokenise(line: string): Token[] {
  const tokens: Token[] = [];
  const s = line.replace(/[“”]/g, '"').replace(/[‘’]/g, "'");
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s.charAt(i))) i++;
    if (i >= s.length) break;
    let key: string | undefined;
    const keyMatch = KEY.exec(s.slice(i));
    if (keyMatch?.[1]) {
      key = keyMatch[1].toLowerCase();
      i += keyMatch[0].length;
    }
    let value = '';
    let quoted = false;
    const q = s.charAt(i);
    if (q === '"' || q === "'") {
      const end = s.indexOf(q, i + 1);
      if (end >= 0) {
        value = s.slice(i + 1, end);
        quoted = true;
        i = end + 1;
      }
    }
    if (!quoted) {
      const start = i;
      while (i < s.length && !/\s/.test(s.charAt(i))) i++;
      value = s.slice(start, i);
    }
    tokens.push({ key, value, quoted });
  }
  return tokens;
}

/** `"/tiket buka x=1"`, `"tiket buka x=1"` and `"buka x=1"` are the same command. */
export function parseLine(line: string): ParsedLine {
  const tokens = tokenise(line.trim().replace(/^\/?tiket\b/i, ''));
  const first = tokens[0];
  if (!first || first.key !== undefined || first.quoted) return { name: '', tokens };
  return { name: first.value.toLowerCase(), tokens: tokens.slice(1) };
}

/** `<@U123>`, `<@U123|name>`, `<@!123>`, `<@123>`, `@ani` or a bare id → the platform user id. */
export function parseUserRef(raw: string): string | null {
  const m = /^<@!?([A-Za-z0-9_.-]+)(?:\|[^>]*)?>$/.exec(raw) ?? /^@?([A-Za-z0-9_.-]+)$/.exec(raw);
  return m?.[1] ?? null;
}
