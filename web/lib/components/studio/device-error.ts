/**
 * Why the camera or microphone would not open, as an i18n key: the browser's own message is English
 * whatever the host reads. Older Chrome names are listed beside the standard ones.
 */
const KEY_BY_NAME: Record<string, string> = {
  NotAllowedError: 'studio.deviceError.denied',
  PermissionDeniedError: 'studio.deviceError.denied',
  SecurityError: 'studio.deviceError.denied',
  NotFoundError: 'studio.noDevices',
  DevicesNotFoundError: 'studio.noDevices',
  NotReadableError: 'studio.deviceError.inUse',
  TrackStartError: 'studio.deviceError.inUse',
  AbortError: 'studio.deviceError.inUse',
  OverconstrainedError: 'studio.deviceError.unavailable',
  ConstraintNotSatisfiedError: 'studio.deviceError.unavailable'
};

/** `secure`: the page's isSecureContext; without it the browser offers no camera at all. */
export function deviceErrorKey(err: unknown, secure: boolean): string {
  if (!secure) return 'studio.deviceError.insecure';
  const name = typeof err === 'object' && err !== null && 'name' in err ? String(err.name) : '';
  return KEY_BY_NAME[name] ?? 'studio.deviceError.generic';
}
