/**
 * The queue UI's shared secret: how strong it must be, and a fresh one. A token guards retries and cleans of every
 * queue from any client that can reach the UI, so a guessable one (16 spaces, "password1234…") is refused.
 */
import { randomBytes } from 'node:crypto';

export const MIN_UI_TOKEN_LENGTH = 24;
/** Estimated from the token's own character frequencies (Shannon) times its length. */
export const MIN_UI_TOKEN_BITS = 96;

/** Why `token` is too weak to guard the UI (a sentence naming how to get a good one), or null when it will do. */
export function uiTokenWeakness(token: string): string | null {
  const advice = 'generate one with `yangguang ui --new-token`';
  if (/\s/.test(token)) return `not usable: it contains whitespace; ${advice}`;
  if (token.length < MIN_UI_TOKEN_LENGTH) return `too short (${token.length} characters, at least ${MIN_UI_TOKEN_LENGTH}); ${advice}`;
  const bits = Math.floor(entropyBits(token));
  if (bits < MIN_UI_TOKEN_BITS) return `too predictable (about ${bits} bits of entropy, at least ${MIN_UI_TOKEN_BITS}); ${advice}`;
  return null;
}

/** 32 random bytes, base64url: 43 characters, 256 bits. */
export function generateUiToken(): string {
  return randomBytes(32).toString('base64url');
}

function entropyBits(text: string): number {
  const counts = new Map<string, number>();
  for (const character of text) counts.set(character, (counts.get(character) ?? 0) + 1);
  const length = [...text].length;
  let perCharacter = 0;
  for (const count of counts.values()) perCharacter -= (count / length) * Math.log2(count / length);
  return perCharacter * length;
}
