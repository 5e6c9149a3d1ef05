/** What became of an upload: the status, the server's error code and the page it names, if any. */
export interface UploadResult {
  status: number;
  code: string | null;
  /** The page at fault (from 1), for errors about one page of the book. */
  page: number | null;
  /** The server's finer reason, e.g. `forbidden-character` for a hidden character in a field. */
  reason: string | null;
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
      const error = (body as { error?: { code?: unknown; page?: unknown; reason?: unknown } } | null)?.error;
      const page = typeof error?.page === 'number' && Number.isSafeInteger(error.page) && error.page > 0 ? error.page : null;
      const reason = typeof error?.reason === 'string' ? error.reason : null;
      resolve({ status: request.status, code: typeof error?.code === 'string' ? error.code : null, page, reason, body });
    });
    request.addEventListener('error', () => resolve({ status: 0, code: 'network', page: null, reason: null, body: null }));
    request.addEventListener('abort', () => resolve({ status: 0, code: 'network', page: null, reason: null, body: null }));
    request.send(form);
  });
}
