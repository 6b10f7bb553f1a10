// A user's public profile (bio, avatar, website), as the authors API shows
// it: the PATCH of what changed, for /auth/me and /admin/users/{id}. Pure.
import type { User } from '../api/types';

export interface ProfileForm {
  bio: string;
  website: string;
  avatar_id: number | null;
}

export type ProfilePatch = { bio?: string | null; website?: string | null; avatar_id?: number | null };

export function profileForm(u: Pick<User, 'bio' | 'website' | 'avatar_id'>): ProfileForm {
  return { bio: u.bio ?? '', website: u.website ?? '', avatar_id: u.avatar_id ?? null };
}

/** profilePatch is what changed, trimmed; emptied fields are null. */
export function profilePatch(u: Pick<User, 'bio' | 'website' | 'avatar_id'>, f: ProfileForm): ProfilePatch {
  const p: ProfilePatch = {};
  const bio = f.bio.trim();
  if (bio !== (u.bio ?? '')) p.bio = bio || null;
  const website = f.website.trim();
  if (website !== (u.website ?? '')) p.website = website || null;
  if (f.avatar_id !== (u.avatar_id ?? null)) p.avatar_id = f.avatar_id;
  return p;
}

/** websiteProblem says what is wrong with a website address, or '' when it will do. */
export function websiteProblem(s: string): string {
  const t = s.trim();
  if (!t) return '';
  try {
    const u = new URL(t);
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.host && !/\s/.test(t)) return '';
  } catch {
    // not a URL
  }
  return 'must be an absolute http:// or https:// URL';
}
