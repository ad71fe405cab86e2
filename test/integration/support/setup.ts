import { jest } from '@jest/globals';

// Integration tests wait on a real control plane: pods scheduled, controllers reacting.
jest.setTimeout(180_000);
