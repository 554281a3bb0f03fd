// Worst-case cost of decoding a TC string that passes checkTcStringBounds, as a ratio to a peer
// measured in the same run: a typical real string (1,500 vendors, bitfield encoded).
// Run after a build: `nice -n 10 node packages/consent/bench/tcf-bounds.mjs`.
import { GVL, TCModel, TCString } from '@iabtcf/core';
import { TCF_LIMITS, checkTcStringBounds } from '../dist/tcf.js';
import { bitfieldTcString, rangeTcString } from '../test/fixtures/tc-strings.mjs';

/** Vendor consents as `n` ranges of `width` ids each. */
const ranges = (n, width) => rangeTcString(n, width, TCF_LIMITS.maxVendorId);
/** The longest bitfield a string may carry. */
const bitfield = () => bitfieldTcString(TCF_LIMITS.maxVendorId);

const purposes = {};
for (let i = 1; i <= 11; i++) purposes[i] = { id: i, name: `P${i}`, description: '', illustrations: [] };
const vendors = {};
for (let id = 1; id <= 1500; id++)
  vendors[id] = {
    id,
    name: `V${id}`,
    purposes: [1],
    legIntPurposes: [],
    flexiblePurposes: [],
    specialPurposes: [],
    features: [],
    specialFeatures: [],
    policyUrl: 'https://v.test',
  };
const gvl = new GVL({
  gvlSpecificationVersion: 3,
  vendorListVersion: 1,
  tcfPolicyVersion: 4,
  lastUpdated: '2026-01-01T00:00:00Z',
  purposes,
  specialPurposes: {},
  features: {},
  specialFeatures: {},
  vendors,
  stacks: {},
  dataCategories: {},
});
const model = new TCModel(gvl);
model.cmpId = 10;
model.cmpVersion = 1;
model.vendorConsents.set(Array.from({ length: 1500 }, (_, i) => i + 1).filter((i) => i % 3));
const typical = TCString.encode(model);

function time(s, runs) {
  for (let i = 0; i < 5; i++) TCString.decode(s);
  const t = performance.now();
  for (let i = 0; i < runs; i++) {
    if (checkTcStringBounds(s) === undefined) TCString.decode(s);
  }
  return (performance.now() - t) / runs;
}
const cases = {
  typical,
  'four ranges of maxVendorId': ranges(4, TCF_LIMITS.maxVendorId),
  'maxRangeIds in single-id entries': ranges(
    Math.min(4095, Math.floor((TCF_LIMITS.maxLength * 6 - 300) / 33)),
    1,
  ),
  'longest bitfield': bitfield(),
};
for (const s of Object.values(cases)) time(s, 50);
const base = time(typical, 200);
for (const [name, s] of Object.entries(cases)) {
  const accepted = checkTcStringBounds(s) === undefined;
  const ms = time(s, 50);
  console.log(
    `${name.padEnd(36)} ${String(s.length).padStart(5)} chars  accepted=${accepted}  ${(ms / base).toFixed(1)}x typical`,
  );
}
const refused = ranges(80, TCF_LIMITS.maxVendorId);
const t = performance.now();
for (let i = 0; i < 1000; i++) checkTcStringBounds(refused);
console.log(
  `refusing a range bomb (${refused.length} chars): ${((performance.now() - t) / 1000 / base).toFixed(2)}x typical decode`,
);
console.log(`typical decode on this machine: ${base.toFixed(3)} ms (context only, not a project figure)`);
