/**
 * Whether the page's script has taken over the component. Forms holding secrets (passwords, card
 * numbers) keep their submit button off until then: the browser's own submit would be a GET with
 * every field in the URL.
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
