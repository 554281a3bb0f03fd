/**
 * Renders decisions for a terminal: the slots of two decisions side by side, then each decision's
 * explanations ("Why am I seeing this?"), what was left out and why, and the consent behind it.
 */

const WIDTH = 38;

function clip(text, width) {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/** One line describing a slot's content. */
function describeContent(content) {
  if (content === undefined || content === null) return '(nothing)';
  if (typeof content !== 'object') return String(content);
  return Object.values(content).join(' · ');
}

function cell(slot) {
  return [describeContent(slot.content), slot.isDefault ? '  default content' : `  by ${slot.strategy}`];
}

/** The slots of two decisions, side by side. */
export function sideBySide(left, right, leftTitle, rightTitle) {
  const rule = `${'─'.repeat(14)}┼${'─'.repeat(WIDTH + 2)}┼${'─'.repeat(WIDTH + 2)}`;
  const lines = [`${'slot'.padEnd(14)}│ ${clip(leftTitle, WIDTH)} │ ${clip(rightTitle, WIDTH)}`, rule];
  left.slots.forEach((slot, i) => {
    const other = right.slots[i];
    const [a1, a2] = cell(slot);
    const [b1, b2] = cell(other);
    lines.push(`${slot.slot.padEnd(14)}│ ${clip(a1, WIDTH)} │ ${clip(b1, WIDTH)}`);
    lines.push(`${''.padEnd(14)}│ ${clip(a2, WIDTH)} │ ${clip(b2, WIDTH)}`);
  });
  return lines.join('\n');
}

/** A decision's explanations, what was dropped and the consent snapshot, in plain words. */
export function explain(decision, title) {
  const lines = [`${title}   (trace ${decision.traceId})`, ''];
  lines.push('  Why am I seeing this? / Tại sao tôi thấy nội dung này?');
  for (const slot of decision.slots) {
    const e = slot.explanation;
    lines.push(`  • ${slot.slot}: ${e.summary.en}`);
    if (e.summary.vi) lines.push(`    ${' '.repeat(slot.slot.length)}  ${e.summary.vi}`);
    if (!slot.isDefault) {
      lines.push(`      strategy ${e.strategy}`);
      lines.push(`      purposes ${e.purposes.join(', ') || '—'}`);
      lines.push(`      data     ${e.categories.join(', ') || '—'}`);
      if (e.signals.length > 0) lines.push(`      signals  ${e.signals.join(', ')}`);
    }
  }
  lines.push('');
  lines.push('  Left out of this decision:');
  if (decision.dropped.length === 0) lines.push('    nothing');
  for (const d of decision.dropped)
    lines.push(`    - ${d.kind} ${d.plugin}: ${d.outcome} (${d.code}) ${d.reason}`);
  lines.push('');
  lines.push('  Consent that authorised it:');
  for (const [purpose, c] of Object.entries(decision.consent.purposes)) {
    const why = c.reason ? `, ${c.reason}` : '';
    const record = c.recordId ? ` [${c.recordId}]` : '';
    lines.push(
      `    ${c.status === 'granted' ? '✓' : '✗'} ${purpose.padEnd(28)} ${c.status} by ${c.provider}${why}${record}`,
    );
  }
  lines.push('');
  lines.push(`  Data read: ${decision.categoriesUsed.join(', ') || 'none'}`);
  return lines.join('\n');
}
