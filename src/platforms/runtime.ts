import { discordPlatform } from './discord/platform.js';
import { slackPlatform } from './slack/platform.js';
import type { PlatformModule } from './types.js';

export type { PlatformModule, RunningPlatform } from './types.js';

/** Adapters add themselves here (one import and one entry each). */
export const PLATFORMS: PlatformModule[] = [slackPlatform, discordPlatform];
