// The page's script: the hero flag evaluated with the OpenFeature web SDK, answered by
// TactfulWebProvider with @tactful/client as its decider, against this site's own decision server
// (same origin, /api/tactful). Bundled by esbuild when the example starts (see bundle.js).
import { OpenFeature } from '@openfeature/web-sdk';
import { createClient } from '@tactful/client';
import { TactfulWebProvider, explanationHook } from '@tactful/openfeature/web';

const HERO_DEFAULT = { title: 'Welcome to the shop' };
const tactful = createClient({ baseUrl: '/api/tactful' });
const provider = new TactfulWebProvider({ decider: tactful, flags: { hero: 'home.hero' } });

// The explanation of the latest evaluation, as the hook hands it to telemetry.
let lastExplanation;
OpenFeature.addHooks(
  explanationHook({
    log: false,
    onExplanation: (event) => {
      lastExplanation = event.explanation.summary.en;
    },
  }),
);
const flags = OpenFeature.getClient();

/** Every evaluation the page made, in order (the test reads it; telemetry would too). */
const evaluations = [];
globalThis.tactfulEvaluations = evaluations;

const $ = (id) => document.getElementById(id);

/** Evaluates the flag and shows its value, reason and explanation. */
function render(cause) {
  lastExplanation = undefined;
  const details = flags.getObjectDetails('hero', HERO_DEFAULT);
  const title = typeof details.value?.title === 'string' ? details.value.title : HERO_DEFAULT.title;
  const why = lastExplanation ?? details.flagMetadata?.explanation ?? '';
  // The server could not be reached or refused: the client answered the defaults, and says why.
  const degraded = details.flagMetadata?.degraded
    ? String(details.flagMetadata.degradedReason ?? 'degraded')
    : '';
  evaluations.push({ cause, title, reason: details.reason, degraded, errorCode: details.errorCode ?? null });
  $('hero').textContent = title;
  $('reason').textContent = details.reason ?? '';
  $('error').textContent = details.errorCode ? `${details.errorCode}: ${details.errorMessage ?? ''}` : '';
  $('degraded').textContent = degraded ? `(default content: the server was ${degraded})` : '';
  $('why').textContent = why;
}

const grantedIn = (status) =>
  Object.entries(status.purposes)
    .filter(([, p]) => p.status === 'granted')
    .map(([purpose]) => purpose);

/** What the server has recorded, or nothing granted when it can't be read (the server is down). */
async function granted(read) {
  try {
    return grantedIn(await read());
  } catch {
    return [];
  }
}

/** Sets the context the flags are decided for; the flag is evaluated at once and again when the answer is in. */
async function decideFor(consent, cause) {
  const setting = OpenFeature.setContext({ consent: { granted: consent } });
  render(cause); // the very next evaluation after the change: never the previous person's answer
  await setting;
  render(`${cause}: decided`);
}

async function act(button, work) {
  button.disabled = true;
  $('status').textContent = '';
  try {
    await work();
  } catch (error) {
    $('status').textContent = `Could not reach the server (${error?.code ?? error?.message ?? error}).`;
    render('after a failure');
  } finally {
    button.disabled = false;
  }
}

$('grant').addEventListener('click', (event) =>
  act(event.currentTarget, async () => {
    const asked = await tactful.consent();
    const status = await tactful.choose({ grant: Object.keys(asked.purposes) });
    await tactful.declarePreferences({ interests: ['garden'] });
    await decideFor(grantedIn(status), 'grant');
  }),
);

$('withdraw').addEventListener('click', (event) =>
  act(event.currentTarget, async () => {
    const status = await tactful.withdrawAll();
    await decideFor(grantedIn(status), 'withdraw');
  }),
);

await OpenFeature.setProviderAndWait(provider, {
  consent: { granted: await granted(() => tactful.consent()) },
});
render('load');
document.body.dataset.ready = 'true';
