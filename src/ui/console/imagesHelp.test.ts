import { describe, expect, it } from 'vitest';
import { imagesHelp } from './imagesHelp';

describe('the console\'s images command', () => {
  it('lists the public images and the teaching images with their tags and ports', () => {
    const text = imagesHelp();
    expect(text.indexOf('Public images')).toBeLessThan(text.indexOf("Kubeplay's teaching images"));
    expect(text).toMatch(/^ {2}nginx +tags: any {2}ports: 80$/m);
    expect(text).toMatch(/^ {2}kubeplay\/web +tags: v1, v2, v3 \(latest = v2\) {2}ports: 8080$/m);
    expect(text).toContain('kubeplay/escape');
  });

  it('filters by name and says when nothing matches', () => {
    const web = imagesHelp('kubeplay/web');
    expect(web).toContain('kubeplay/web');
    expect(web).not.toContain('nginx');
    expect(web).not.toContain('Public images');
    expect(imagesHelp('nope')).toBe('no image matches "nope" (type "images" for the whole catalogue)');
  });
});
