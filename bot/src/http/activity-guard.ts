/**
 * The minimum an inbound activity needs before the SDK and our routes touch it. Returns a
 * sentence naming the first problem, or undefined when the activity is usable.
 */
export function checkActivityShape(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'The request body must be a JSON activity object.';
  const activity = body as Record<string, unknown>;
  if (typeof activity.type !== 'string' || activity.type.length === 0) return 'The activity has no "type" string.';
  if (typeof activity.serviceUrl !== 'string' || !isHttpUrl(activity.serviceUrl)) return 'The activity has no valid "serviceUrl".';
  const conversation = activity.conversation as Record<string, unknown> | undefined;
  if (!conversation || typeof conversation !== 'object' || typeof conversation.id !== 'string' || !conversation.id) {
    return 'The activity has no "conversation.id" string.';
  }
  const from = activity.from as Record<string, unknown> | undefined;
  if (!from || typeof from !== 'object' || typeof from.id !== 'string' || !from.id) return 'The activity has no "from.id" string.';
  if (activity.text !== undefined && typeof activity.text !== 'string') return 'The activity "text" must be a string.';
  if (activity.recipient !== undefined && (typeof activity.recipient !== 'object' || activity.recipient === null)) {
    return 'The activity "recipient" must be an object.';
  }
  return undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
