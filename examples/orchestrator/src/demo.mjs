/**
 * The demo: the same person asks for the same page twice. First with consent to personalization,
 * then right after pressing "Reject all". Returns what `main.mjs` prints.
 */
import { explain, sideBySide } from './render.mjs';
import { createShop, pageRequest } from './shop.mjs';

export async function runDemo() {
  const { tactful, consent, profiles } = createShop();
  const events = [];
  tactful.on('consent:changed', (e) => events.push(e));

  consent.grant('u_1024', [
    'personalization.profile',
    'personalization.contextual',
    'personalization.session',
  ]);
  const withConsent = await tactful.decide({ ...pageRequest, traceId: 'demo-with-consent' });
  const callsBefore = profiles.calls.length;

  consent.withdrawAll('u_1024');
  const withoutConsent = await tactful.decide({ ...pageRequest, traceId: 'demo-without-consent' });
  const profileCallsAfterWithdrawal = profiles.calls.length - callsBefore;

  const preview = await tactful.preview({ ...pageRequest, traceId: 'demo-preview' });
  const text = [
    'Tactful — one page, one person, two moments',
    '',
    'Lan (u_1024) opens the home page at 19:30 in Hanoi, after looking at toys.',
    'A: she has agreed to personalization.   B: a minute later she pressed "Reject all".',
    '',
    sideBySide(withConsent, withoutConsent, 'A: with consent', 'B: after "Reject all"'),
    '',
    explain(withConsent, 'A: with consent'),
    '',
    explain(withoutConsent, 'B: after "Reject all"'),
    '',
    `Withdrawal took effect at the very next decision: the profile store was called ${profileCallsAfterWithdrawal} times for B,`,
    `and the orchestrator reported the change (${events.map((e) => e.changes.map((c) => `${c.purpose} ${c.from} → ${c.to}`).join(', ')).join('; ')}).`,
    '',
    'preview() of the same request now (nothing is called but consent):',
    ...preview.strategies.map(
      (s) =>
        `  ${s.willRun ? 'would run ' : 'would skip'} ${s.name.padEnd(18)} ${s.skipped ? s.skipped.reason : `layer ${s.layer}`}`,
    ),
  ].join('\n');
  return { text, withConsent, withoutConsent, profileCallsAfterWithdrawal, events };
}
