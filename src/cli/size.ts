import { InputError } from '../errors.js';

/** `10M`, `512k`, `2G`, `1000` (bytes). */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!match) throw new InputError(`--max-size: expected a size like 500k, 10M or 2G, got "${text}"`);
  const power = ' kmgt'.indexOf((match[2] || ' ').toLowerCase());
  return Math.floor(Number(match[1]) * 1024 ** power);
}
