import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { mappedRoleOf, memberRoleIds, parseRoleMap } from '../../src/platforms/discord/guild-roles.js';

describe('DISCORD_ROLE_MAP', () => {
  it('maps server roles to posko roles with team and queue; the highest role wins', () => {
    const map = parseRoleMap('111111=agent:b:violet, 222222=tl:b,333333=spv');
    if (typeof map === 'string') throw new Error(map);
    expect(map.get('111111')).toEqual({ role: 'agent', team: 'b', queue: 'violet' });
    expect(map.get('333333')).toEqual({ role: 'supervisor', team: 'a', queue: 'reguler' });
    expect(mappedRoleOf(map, ['999999', '111111', '222222'])?.role).toBe('team_leader');
    expect(mappedRoleOf(map, ['999999'])).toBeUndefined();
  });

  it('a bad entry is named, at start and by the parser', () => {
    expect(parseRoleMap('111111=boss')).toMatch(/111111=boss/);
    expect(() => loadConfig({ DISCORD_ROLE_MAP: '111111=agent:a:nowhere' } as NodeJS.ProcessEnv, '')).toThrow(
      /DISCORD_ROLE_MAP/,
    );
    expect(loadConfig({ DISCORD_ROLE_MAP: '' } as NodeJS.ProcessEnv, '').DISCORD_ROLE_MAP).toBeUndefined();
  });

  it('reads role ids from a cached member or a raw one', () => {
    expect(memberRoleIds({ roles: ['1', '2'] })).toEqual(['1', '2']);
    expect(memberRoleIds({ roles: { cache: new Map([['3', {}]]) } })).toEqual(['3']);
    expect(memberRoleIds(null)).toEqual([]);
  });
});
