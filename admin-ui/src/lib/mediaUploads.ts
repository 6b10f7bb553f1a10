// The media library's uploads wired to this app: the signed-in session,
// the server's upload limit, and the list of this user's own uploads.
import { mediaUploader } from '../api/upload';
import { auth, session } from './app.svelte';
import { siteConfig } from './config.svelte';
import { OwnUploads } from './media';
import { UploadQueue, type UploadEntry } from './uploads';

const send = mediaUploader(session);

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function ownUploads(): OwnUploads {
  return new OwnUploads(storage(), auth.user?.id ?? 0);
}

/** newUploadQueue makes a queue for a screen; onUploaded runs for each file that arrived. */
export function newUploadQueue(onChange: (entries: UploadEntry[]) => void, onUploaded?: (e: UploadEntry) => void): UploadQueue<File> {
  void siteConfig.load();
  return new UploadQueue<File>({
    send,
    limit: () => siteConfig.value?.max_upload ?? null,
    concurrency: 2,
    onChange,
    onUploaded: (e) => {
      if (e.item && !e.existed) ownUploads().add(e.item.id);
      onUploaded?.(e);
    },
  });
}
