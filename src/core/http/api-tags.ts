/**
 * Every tag the OpenAPI document uses, with the description Swagger UI shows above its group. A controller's
 * `@ApiTags()` must name one of these (Redocly's `operation-tag-defined` fails otherwise); `npm run
 * new:module` adds the new module's entry here.
 */
export const API_TAGS: Record<string, string> = {
  users: 'Registration, login and the current user (RealWorld)',
  profiles: 'Public profiles and following (RealWorld)',
  articles: 'Articles, favorites and the feed (RealWorld)',
  comments: 'Comments on articles (RealWorld)',
  tags: 'Tags in use (RealWorld, and tag counts under /api/v1)',
  admin: 'Administration: feature flags, dead-letter jobs, the audit log (admin role)',
  health: 'Liveness and readiness probes',
  notifications: 'Your notifications: in-app list and live stream, mail preferences',
  reports: 'Exports of your articles with their stats (CSV, PDF), made in the background',
  moderation: 'Abuse reports (yours), and for moderators: the report queue, hiding articles and comments',
  auth: 'Sessions: login with refresh tokens, logout, your devices, password reset and email change',
};
