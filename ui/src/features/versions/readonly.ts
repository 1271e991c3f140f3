// Helpers of the read-only version view: labels for the engine's field names and emptiness.

/** "first_response" → "First response". The engine's field names, made readable. */
export function fieldLabel(key: string): string {
  const words = key.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Nothing to show: null, empty text, empty list, or an object with only empty values. */
export function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.values(value).every(isEmpty);
  return false;
}
