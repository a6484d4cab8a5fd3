/**
 * Freezes a value and everything inside it, so one object can be handed to many callers (kept
 * cards, kept query results) and none of them can change what the others see: a write throws a
 * TypeError (every module is strict) instead of silently changing shared data. Callers that need
 * a changed version build a new object around it (`{ ...doc, name }`).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
