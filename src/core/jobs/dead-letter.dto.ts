import { ApiProperty } from '@nestjs/swagger';

export class DeadLetterDto {
  /** @example notifications */
  queue: string;
  /** @example identity.user-registered.7d0c7a1e-3c55-4b8e-9a55-0f4a3c1c2b1d */
  id: string;
  /** @example welcome-mail */
  name: string;
  /**
   * `failed` while it is a dead letter; once sent back, where it is now: `waiting` (or `prioritized`, `delayed`,
   * `active`, `waiting-children`), or `completed` when a worker already ran it again.
   */
  @ApiProperty({ enum: ['failed', 'waiting', 'prioritized', 'delayed', 'active', 'waiting-children', 'completed'] })
  state: string;
  /** The last failed attempt's error. */
  failedReason: string;
  @ApiProperty({ type: 'integer' })
  attemptsMade: number;
  /** What the job was given. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
  createdAt: Date;
  failedAt: Date | null;
}

export class DeadLetterListDto {
  deadLetters: DeadLetterDto[];
}
