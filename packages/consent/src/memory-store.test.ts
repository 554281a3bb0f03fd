import { describeConsentStoreConformance } from '@tactful/testing';
import { memoryConsentStore } from '@tactful/consent';

describeConsentStoreConformance({
  name: 'memoryConsentStore',
  create: ({ clock }) => memoryConsentStore({ clock }),
});
