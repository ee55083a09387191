// Browser mode: the page cannot hand the server a path, so the file's bytes go to POST /api/upload first and the
// returned uploadId is then imported with `datasets.import { source: { kind: 'upload', ... } }`.
import type { Result } from '../../../common/result';

export async function uploadFile(file: File, token: string): Promise<Result<{ uploadId: string }>> {
  let response: Response;
  try {
    response = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
      body: file,
    });
  } catch {
    return { ok: false, error: { kind: 'unavailable', message: `Could not upload ${file.name}: the Tunebench server did not answer.` } };
  }
  try {
    const body = (await response.json()) as Result<{ uploadId: string }>;
    if (body && typeof body === 'object' && typeof body.ok === 'boolean') return body;
  } catch {
    // fall through: not JSON
  }
  const kind = response.status === 401 || response.status === 403 ? 'bad-input' : 'internal';
  const reason =
    kind === 'bad-input'
      ? 'the server refused the access token; open the address `tunebench serve` printed'
      : `the server answered HTTP ${response.status}`;
  return { ok: false, error: { kind, message: `Could not upload ${file.name}: ${reason}.` } };
}
