/** `konfirmasi … puas=1..5`: the customer's rating given on the call, stored on the `confirmed` event. */
export const SATISFACTION_SCORES = ['1', '2', '3', '4', '5'] as const;

/** The rating as a number, or undefined when the value is not one of the scores. */
export function parseSatisfaction(value: string): number | undefined {
  const v = value.trim();
  return (SATISFACTION_SCORES as readonly string[]).includes(v) ? Number(v) : undefined;
}
