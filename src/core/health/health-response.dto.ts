/** Overall status and the state of each checked dependency. */
export class HealthResponseDto {
  /** `ok` when every check is up. */
  status: string;
  /** Each dependency checked, e.g. `{ "database": "up", "redis": "up" }`. */
  checks: Record<string, string>;
}
