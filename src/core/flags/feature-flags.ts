/**
 * Every feature flag, with its default. A flag is declared here before code asks for it; admins override
 * the default at run time (`PUT /api/v1/admin/feature-flags/:name`), and the override wins until removed.
 */
export const FEATURE_FLAGS = {
  'tag-counts': {
    description: 'GET /api/v1/tags: tags in use with how many articles carry each',
    enabled: false,
    rolloutPercent: 100,
  },
} as const satisfies Record<string, FeatureFlagDefault>;

export interface FeatureFlagDefault {
  description: string;
  enabled: boolean;
  /** Share of signed-in users (by a stable hash of their id) who get the feature while it is enabled. */
  rolloutPercent: number;
}

export type FeatureFlagName = keyof typeof FEATURE_FLAGS;

export function isFeatureFlagName(name: string): name is FeatureFlagName {
  return Object.hasOwn(FEATURE_FLAGS, name);
}
