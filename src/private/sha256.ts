import { createHash } from 'node:crypto';

/** Hex sha256 of a text (UTF-8). */
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
