import { ALL_ROLES, defineCommand } from '../src/command/spec.js';
import { maskFreeText } from '../src/domain/mask.js';
import { ephemeral } from '../src/services/present.js';
import { searchLine, searchTickets } from '../src/services/search.js';

export default defineCommand({
  name: 'cari',
  description: 'cmd.cari',
  roles: ALL_ROLES,
  readOnly: true,
  positionals: { text: 'required' },
  options: [],
  example: 'cari 0812-3456-7890',
  async handler({ core, actor, t, viewer }, { text }) {
    const typed = (text ?? '').slice(0, 60);
    const { rows, more } = await searchTickets(core, actor, typed);
    // Echoed masked like the results: the answer may be read over a shoulder, too.
    const query = maskFreeText(typed);
    if (rows.length === 0) return [ephemeral(null, t('search.empty', { query }))];
    const lines = rows.map((row) => searchLine(viewer, row));
    if (more) lines.push(t('search.more'));
    return [ephemeral(null, `${t('search.title', { count: rows.length, query })}\n${lines.join('\n')}`)];
  },
});
