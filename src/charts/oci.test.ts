import { describe, expect, it } from '@jest/globals';
import { nextPage, parseBearerChallenge } from './oci.js';

describe('parseBearerChallenge', () => {
  it('reads realm, service and scope', () => {
    expect(parseBearerChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual({
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
      scope: 'repository:library/nginx:pull',
    });
    expect(parseBearerChallenge('bearer realm=https://r.example.com/t, service="a \\"b\\""')).toEqual({ realm: 'https://r.example.com/t', service: 'a "b"' });
  });

  it('is undefined for other schemes and challenges without a realm', () => {
    expect(parseBearerChallenge('Basic realm="registry"')).toBeUndefined();
    expect(parseBearerChallenge('Bearer service="x"')).toBeUndefined();
  });
});

describe('nextPage', () => {
  it('follows rel="next", resolved against the page', () => {
    expect(nextPage('</v2/charts/demo/tags/list?n=2&last=b>; rel="next"', 'http://localhost:5000/v2/charts/demo/tags/list')).toBe('http://localhost:5000/v2/charts/demo/tags/list?n=2&last=b');
    expect(nextPage('<https://other.example.com/a>; rel="prev", <b?last=x>; rel=next', 'https://r.example.com/v2/x/tags/list')).toBe('https://r.example.com/v2/x/tags/b?last=x');
    expect(nextPage(null, 'https://r.example.com/')).toBeUndefined();
    expect(nextPage('<a>; rel="prev"', 'https://r.example.com/')).toBeUndefined();
  });
});
