import type { Config } from '../config.js';
import type { Core } from '../core.js';
import type { PoskoHttp } from '../http/server.js';
import type { Deliverer } from '../outbox/types.js';

/**
 * A chat platform posko can run on. `npm start` starts every enabled one (Slack and Discord side
 * by side); with none enabled it runs the console instead.
 */
export interface PlatformModule {
  name: 'slack' | 'discord';
  enabled(config: Config): boolean;
  /** `http` is posko's own server on PORT, for a platform that receives HTTP (Slack's events). */
  start(core: Core, http: PoskoHttp): Promise<RunningPlatform>;
}

export interface RunningPlatform {
  deliverer: Deliverer;
  stop(): Promise<void>;
}
