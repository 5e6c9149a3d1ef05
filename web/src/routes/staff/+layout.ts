// The staff console talks to the API with the browser's own session cookie and CSRF token, so
// it renders in the browser only.
export const ssr = false;
