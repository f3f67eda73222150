// A file, not an inline script: the page's policy runs scripts from this origin only.
window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  // The public validator badge would call another site.
  validatorUrl: null,
  // Same-origin calls carry the session cookie, so "Try it out" acts as the signed-in account.
  withCredentials: true
});
