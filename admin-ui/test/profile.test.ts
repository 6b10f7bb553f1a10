import { describe, expect, it } from 'vitest';
import { profileForm, profilePatch, websiteProblem } from '../src/lib/profile';

describe('public profile', () => {
  const u = { bio: 'Writes about databases.', website: null, avatar_id: 3 };
  it('changes nothing unless edited', () => {
    expect(profilePatch(u, profileForm(u))).toEqual({});
  });
  it('sends what changed, trimmed, with emptied fields as null', () => {
    expect(profilePatch(u, { bio: '  ', website: ' https://me.example ', avatar_id: null })).toEqual({ bio: null, website: 'https://me.example', avatar_id: null });
    expect(profilePatch(u, { ...profileForm(u), avatar_id: 9 })).toEqual({ avatar_id: 9 });
  });
  it('checks the website as the server does', () => {
    expect(websiteProblem('')).toBe('');
    expect(websiteProblem('https://me.example/about')).toBe('');
    expect(websiteProblem('me.example')).not.toBe('');
    expect(websiteProblem('javascript:alert(1)')).not.toBe('');
  });
});
