import { jest } from '@jest/globals';

// Unit tests spawn git, jq and worker threads; while integration files run beside them on two
// cores, jest's 5 s default is within reach of a correct test. (A project's own testTimeout is
// not applied by jest; this is.)
jest.setTimeout(30_000);
