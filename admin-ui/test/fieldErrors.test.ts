import { describe, expect, it } from 'vitest';
import { fieldName, problem } from '../src/lib/fieldErrors';

const labels = { title: 'Title', slug: 'Slug', cover_image: 'Cover image', logo: 'Logo', tags: 'Tags', metrics: 'Metrics', seo: 'SEO', body: 'Body' };

describe('errors in words', () => {
  it('says what a publish needs', () => {
    expect(problem('cover_image.alt', 'is required to publish: describe the image for people who cannot see it', labels).text).toBe(
      'The cover image needs alt text before it can be published.',
    );
    expect(problem('logo.alt', 'is required to publish', labels).text).toBe('The logo needs alt text before it can be published.');
  });

  it('reads on from the field’s name', () => {
    expect(problem('slug', 'must be lowercase letters, digits and single hyphens', labels).text).toBe('The slug must be lowercase letters, digits and single hyphens.');
    expect(problem('title', 'is required', labels).text).toBe('The title is required.');
    expect(problem('body', 'too deeply nested', labels).text).toBe('The body: too deeply nested.');
  });

  it('names items of lists and parts of objects', () => {
    expect(fieldName('tags[2]', labels)).toBe('tag 3');
    expect(fieldName('metrics[0].label', labels)).toBe('the label of metric 1');
    expect(fieldName('seo.meta_title', labels)).toBe('the meta title (SEO)');
    expect(fieldName('cover_image.url', labels)).toBe('the cover image’s address');
    expect(problem('tags[1]', 'must be at most 60 characters', labels).text).toBe('Tag 2 must be at most 60 characters.');
  });
});
