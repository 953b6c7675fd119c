// The Worker's webhook POST, through fetch: the URL checked as on Node (target.ts), no redirect followed, a timeout, at
// most maxResponseBytes of the answer read. A Worker's fetch leaves through Cloudflare's network and cannot reach a
// private address by a name that resolves to one; it cannot see the address either, so that check is Node's alone.
import { targetProblem } from './target.js';

export function createFetchPost(options: { allowPrivate: boolean; timeoutMs?: number; maxResponseBytes?: number; fetch?: typeof fetch }) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxResponseBytes ?? 64 * 1024;
  const send = options.fetch ?? fetch;
  return async function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
    const problem = targetProblem(url, options.allowPrivate);
    if (problem) throw Object.assign(new Error(`Refused webhook URL: ${problem}`), { name: 'UnsafeTargetError' });
    let res: Response;
    try {
      res = await send(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw Object.assign(new Error((err as Error).message, { cause: err }), { name: 'PostFailedError' });
    }
    let text = '';
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    try {
      while (reader && text.length < maxBytes) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // The answer's status is what counts; a body cut short is fine.
    } finally {
      await reader?.cancel().catch(() => undefined);
    }
    return { status: res.status, body: text.slice(0, maxBytes) };
  };
}
