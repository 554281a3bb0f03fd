import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteSubjectStore } from '@tactful/store-sqlite';
import { memorySubjectStore, subjectSource } from '@tactful/subject';
import { describe, expect, it } from 'vitest';
import { builtins, segments, subjectMembershipStore } from '../src/index.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const ctx = (traceId: string) => ({ signal: new AbortController().signal, traceId });

describe('subjectMembershipStore', () => {
  it('keeps memberships in the subject store, where the subject source exports them', async () => {
    const subjects = memorySubjectStore();
    const strategy = segments({
      segments: [builtins.newVisitor(), builtins.loyalCustomer()],
      store: subjectMembershipStore(subjects),
    });
    const subject = { id: 'subject-7' };
    await strategy.source!.load(
      { subject, categories: ['derived.segments'], context: {}, now: NOW },
      ctx('trace-a'),
    );
    const out = await strategy.decide(
      { slots: [{ id: 'home.hero' }], data: {}, signals: {}, granted: ['personalization.profile'], now: NOW },
      ctx('trace-a'),
    );
    expect(out.signals?.['segments.memberships']).toEqual(['new-visitor']);
    expect(await subjects.getSegments(subject.id)).toEqual(['new-visitor']);
    const source = subjectSource({ store: subjects });
    const loaded = await source.load(
      { subject, categories: ['derived.segments'], context: {}, now: NOW },
      ctx('trace-b'),
    );
    expect(loaded['derived.segments']).toEqual(['new-visitor']);
    expect(await strategy.erase(subject)).toEqual({ erased: 1 });
    expect(await subjects.getSegments(subject.id)).toEqual([]);
  });
});

describe('subjectMembershipStore on SQLite', () => {
  it('keeps memberships across reopening the database, and erases them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tactful-segments-'));
    const filename = join(dir, 'subjects.sqlite');
    try {
      const first = sqliteSubjectStore({ filename });
      const strategy = segments({ segments: [builtins.newVisitor()], store: subjectMembershipStore(first) });
      const subject = { id: 'subject-sqlite' };
      await strategy.source!.load(
        { subject, categories: ['derived.segments'], context: {}, now: NOW },
        ctx('trace-sql'),
      );
      await strategy.decide(
        {
          slots: [{ id: 'home.hero' }],
          data: {},
          signals: {},
          granted: ['personalization.profile'],
          now: NOW,
        },
        ctx('trace-sql'),
      );
      first.close();
      const second = sqliteSubjectStore({ filename });
      const reopened = segments({ segments: [builtins.newVisitor()], store: subjectMembershipStore(second) });
      expect(await reopened.export(subject)).toEqual({
        'derived.segments': { memberships: ['new-visitor'] },
      });
      expect(await reopened.erase(subject)).toEqual({ erased: 1 });
      expect(await second.getSegments(subject.id)).toEqual([]);
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
