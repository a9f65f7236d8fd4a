/**
 * What a widget's placement adds to a request: on a product page the product on screen, in
 * the cart what is in it. They count for that request only (never stored) and are not
 * recommended back.
 */
import type { EventInput } from '../core/types.ts';

export const PLACEMENTS = ['home', 'product', 'cart'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export function parsePlacement(value: string | null): Placement {
  return (PLACEMENTS as readonly string[]).includes(value ?? '') ? (value as Placement) : 'home';
}

/** `item-id` holds one id, or several separated by spaces or commas (a cart). */
export function parseItemIds(value: string | null): string[] {
  return (value ?? '').split(/[\s,]+/).filter((id) => id !== '');
}

export function placementContext(placement: Placement, itemIds: readonly string[]): EventInput[] {
  switch (placement) {
    case 'home':
      return [];
    case 'product':
      return itemIds.map((itemId) => ({ type: 'view', itemId }));
    case 'cart':
      return itemIds.map((itemId) => ({ type: 'cart', itemId }));
  }
}

/** `k` attribute: a whole number from 1 to 50, else the default 8. */
export function parseK(value: string | null): number {
  const k = Number(value);
  return Number.isInteger(k) && k >= 1 && k <= 50 ? k : 8;
}
