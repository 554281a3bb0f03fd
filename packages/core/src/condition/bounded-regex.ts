/**
 * Patterns that the platform's own regex engine may run without any risk of catastrophic
 * backtracking, and with exactly RE2's answers: anchored at the start (`^`, no flags), with only
 * bounded quantifiers (`?`, `{n}`, `{m,n}` up to 100) and none nested, ASCII literals, escaped
 * punctuation, `\d`, plain character classes, groups and alternation inside groups. Anchored and
 * bounded, a match attempt starts at one place and can only look at a bounded prefix of the
 * input, so the work is bounded whatever the input. Anything else runs on RE2.
 */
const META = '\\^$.|?*+()[]{}';
const CLASS_PUNCTUATION = '_.@:/+ ';
const MAX_REPEAT = 100;
const MAX_WORK = 256;

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /^[A-Za-z0-9]$/.test(ch);
}

function isLiteral(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code >= 0x20 && code <= 0x7e && !META.includes(ch);
}

/** The platform regex for a pattern in the bounded subset, or undefined. */
export function boundedRegex(pattern: string, flags: string): RegExp | undefined {
  if (flags !== '' || !pattern.startsWith('^')) return undefined;
  let i = 1;
  let depth = 0;
  let work = 1;
  // Per open group: whether it holds a quantifier (a quantified group must not).
  const quantifiedInside: boolean[] = [];
  let lastAtom: 'atom' | 'group' | 'none' = 'none';
  let lastGroupHadQuantifier = false;
  const markQuantified = () => {
    for (let d = 0; d < quantifiedInside.length; d++) quantifiedInside[d] = true;
  };
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === '$') {
      if (i !== pattern.length - 1 || depth !== 0) return undefined;
      i++;
      lastAtom = 'none';
      continue;
    }
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || !(META.includes(next) || next === 'd')) return undefined;
      i += 2;
      lastAtom = 'atom';
      continue;
    }
    if (ch === '[') {
      let j = i + 1;
      if (pattern[j] === '^' || pattern[j] === ']') return undefined;
      while (j < pattern.length && pattern[j] !== ']') {
        const c = pattern[j]!;
        if (isAlnum(c) && pattern[j + 1] === '-' && isAlnum(pattern[j + 2])) {
          if (c > pattern[j + 2]!) return undefined;
          j += 3;
        } else if (isAlnum(c) || CLASS_PUNCTUATION.includes(c)) {
          j++;
        } else return undefined;
      }
      if (pattern[j] !== ']') return undefined;
      i = j + 1;
      lastAtom = 'atom';
      continue;
    }
    if (ch === '(') {
      if (pattern.startsWith('(?:', i)) i += 3;
      else if (pattern[i + 1] === '?') return undefined;
      else i++;
      depth++;
      quantifiedInside.push(false);
      lastAtom = 'none';
      continue;
    }
    if (ch === ')') {
      if (depth === 0) return undefined;
      depth--;
      lastGroupHadQuantifier = quantifiedInside.pop()!;
      i++;
      lastAtom = 'group';
      continue;
    }
    if (ch === '|') {
      if (depth === 0) return undefined;
      i++;
      lastAtom = 'none';
      continue;
    }
    if (ch === '?' || ch === '{') {
      if (lastAtom === 'none' || (lastAtom === 'group' && lastGroupHadQuantifier)) return undefined;
      let max = 1;
      if (ch === '{') {
        const m = /^\{(\d{1,3})(?:,(\d{1,3}))?\}/.exec(pattern.slice(i));
        if (m === null) return undefined;
        const low = Number(m[1]);
        max = m[2] === undefined ? low : Number(m[2]);
        if (max > MAX_REPEAT || low > max) return undefined;
        i += m[0].length;
      } else i++;
      if (pattern[i] === '?' || pattern[i] === '+') return undefined;
      work *= max + 1;
      if (work > MAX_WORK) return undefined;
      markQuantified();
      lastAtom = 'none';
      continue;
    }
    if (!isLiteral(ch)) return undefined;
    i++;
    lastAtom = 'atom';
  }
  if (depth !== 0) return undefined;
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}
