/**
 * A price as the shopper reads it: with its currency when the catalog names one
 * (Intl.NumberFormat, so "€12.50" / "12,50 €" follow the page's locale), else the bare
 * number with two decimals. Platform-free: Intl exists in Node, pages and workers.
 */
export function formatPrice(price: number, currency?: string, locale?: string): string {
  if (currency === undefined) return price.toFixed(2);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(price);
  } catch {
    // An unknown code (validated as three letters, not as a real currency) still shows its price.
    return `${price.toFixed(2)} ${currency}`;
  }
}
