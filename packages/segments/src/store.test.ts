import { describeMembershipStoreConformance } from '@tactful/testing';
import { memorySubjectStore } from '@tactful/subject';
import { memoryMembershipStore, subjectMembershipStore } from './store.js';

describeMembershipStoreConformance('memoryMembershipStore', {
  create: () => memoryMembershipStore(),
  counts: true,
});
describeMembershipStoreConformance('subjectMembershipStore (memory subject store)', {
  create: ({ now }) => subjectMembershipStore(memorySubjectStore({ now })),
});
