/** Overall status and the state of each checked dependency. */
export class HealthResponseDto {
  /** `ok` when every check is up. */
  status: string;
  /**
   * Each dependency checked, e.g. `{ "database": "up", "redis": "up" }`; read replicas, when configured, are
   * reported as `replica-1`, `replica-2`, … (`up` or `down`) without making readiness fail.
   */
  checks: Record<string, string>;
}
