/** What became of an upload: the status and the server's error code, if any. */
export interface UploadResult {
  status: number;
  code: string | null;
  body: unknown;
}

/**
 * Sends a book as multipart/form-data. XMLHttpRequest rather than fetch, because only it reports
 * upload progress, which a coordinator on a slow line needs to see.
 */
export function uploadBook(form: FormData, csrfToken: string, onprogress: (fraction: number) => void): Promise<UploadResult> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/admin/books');
    request.setRequestHeader('X-CSRF-Token', csrfToken);
    request.setRequestHeader('Accept', 'application/json');
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onprogress(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // Not JSON (a proxy's page): the status says enough.
      }
      const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
      resolve({ status: request.status, code: typeof code === 'string' ? code : null, body });
    });
    request.addEventListener('error', () => resolve({ status: 0, code: 'network', body: null }));
    request.addEventListener('abort', () => resolve({ status: 0, code: 'network', body: null }));
    request.send(form);
  });
}
