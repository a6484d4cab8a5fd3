/**
 * The `{"error":{"code","message"}}` body that Microsoft's REST services answer a failure with
 * (Graph, Dataverse, SharePoint's OData v4 `error` and v3 `odata.error` with `message.value`).
 * Read once, here, so each connector only decides what the code means for its users.
 */
export interface ErrorBody {
  readonly status: number;
  /** The service's error code; '' when it sent none. */
  readonly code: string;
  /** Its message, or the start of the body when that is not JSON, or the status text. */
  readonly message: string;
}

export async function readErrorBody(response: Response, maxChars = 500): Promise<ErrorBody> {
  const text = await response.text().catch(() => '');
  let code = '';
  let message = text.slice(0, maxChars) || response.statusText;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const error = (body.error ?? body['odata.error']) as { code?: unknown; message?: unknown } | undefined;
    if (error && typeof error === 'object') {
      code = typeof error.code === 'string' ? error.code : '';
      const m = error.message as string | { value?: unknown } | undefined;
      message = typeof m === 'string' ? m : typeof m?.value === 'string' ? m.value : message;
    } else if (typeof body.error_description === 'string') {
      message = body.error_description;
    }
  } catch { /* not JSON: keep the text */ }
  return { status: response.status, code, message };
}
