/** Helpers the models' HTML cards share: a fact from a number, a share, a duration. */
import { dur, int, pct } from '../format.js';
import type { CardFact } from './model.js';

export const count = (key: string, label: string, value: number, meaning: string): CardFact => ({ key, label, value, text: int(value), meaning });
export const time = (key: string, label: string, ms: number, meaning: string): CardFact => ({ key, label, value: ms, text: dur(ms), meaning });
export const share = (key: string, label: string, x: number, meaning: string): CardFact => ({ key, label, value: x, text: pct(x), meaning });
/** `12 (0.4%)`: a count with its share of a whole. */
export const countOf = (key: string, label: string, value: number, whole: number, meaning: string): CardFact => ({
  key,
  label,
  value,
  text: whole > 0 ? `${int(value)} (${pct(value / whole)})` : int(value),
  meaning,
});
