import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../http/transforms.js';

/** The body of a privileged action that must say why (moderation, suspension, role change). */
export class AuditReasonDto {
  /**
   * Why, in 1 to 1,000 characters: written to the audit log with the action.
   * @example "The same link posted in 40 threads"
   */
  @Trim()
  @IsString()
  @IsNotEmpty({ message: "reason can't be blank" })
  @MaxLength(1000)
  reason: string;
}
