/**
 * Whether the page's script has taken over the component. Every form the server renders keeps its
 * submit button off until then: the browser's own submit would be a GET with every field (a password,
 * a card number) in the URL, and would reload the page, losing what was typed.
 */
export function useHydrated(): { readonly current: boolean } {
  let hydrated = $state(false);
  $effect(() => {
    hydrated = true;
  });
  return {
    get current() {
      return hydrated;
    }
  };
}
