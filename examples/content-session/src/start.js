// npm start: prints both parts of the example in readable form.
import { runEmail } from './email.js';
import { runVisit } from './visit.js';

const line = (s = '') => console.log(s);

line('━━ 1. One email template, three recipients ━━');
for (const email of await runEmail()) {
  line();
  line(`▸ ${email.recipient}: ${email.status}`);
  if (email.status === 'personalized' || email.status === 'generic') {
    line(`  Subject: ${email.subject}`);
    line(`  Text:    ${email.text}`);
    line(`  HTML:    ${email.html}`);
    if (email.decision) {
      for (const s of email.decision.slots)
        line(`  ${s.slot}: variant "${s.variant ?? 'default'}" — ${s.explanation.summary.en}`);
    }
  }
}

line();
line("━━ 2. A first-time visitor browses kids' products ━━");
const visit = await runVisit();
for (const page of visit.pages) {
  line();
  line(`▸ The visitor ${page.step}`);
  line(
    `  Hero:       ${page.hero.content.title} (${page.hero.isDefault ? 'default' : `variant "${page.hero.variant}"`})`,
  );
  line(
    `  Categories: ${page.categories.content.order.join(' · ')}${page.categories.isDefault ? ' (default order)' : ''}`,
  );
  const items = page.continue.content.items;
  line(`  Continue:   ${items.length === 0 ? '—' : items.map((i) => i.target).join(', ')}`);
  if (!page.categories.isDefault)
    line(`  Why? ${page.categories.explanation.summary.en} / ${page.categories.explanation.summary.vi}`);
}
line();
line(
  `Session id ${visit.sessionId} was random and is now retired; after sign-in the visit continues as ${visit.afterSignIn}.`,
);
