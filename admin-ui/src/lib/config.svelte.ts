// The server's settings for the admin app, loaded once per page load (they
// change only when folio restarts with other settings).
import type { AdminConfig } from '../api/types';
import { client } from './app.svelte';

class SiteConfig {
  value = $state<AdminConfig | null>(null);
  private pending: Promise<AdminConfig | null> | null = null;

  /** load fetches the settings once; a failure is retried by the next call. */
  load(): Promise<AdminConfig | null> {
    if (this.value) return Promise.resolve(this.value);
    this.pending ??= client
      .call('get', '/api/v1/admin/config', {})
      .then((r) => (this.value = r.data))
      .catch(() => null)
      .finally(() => (this.pending = null));
    return this.pending;
  }
}

export const siteConfig = new SiteConfig();
